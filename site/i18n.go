package main

// uiText returns a piece of the pages' own text (not the lessons') in a
// language, falling back to English.
func uiText(lang, key string) string {
	if s, ok := uiStrings[lang][key]; ok {
		return s
	}
	return uiStrings["en"][key]
}

var uiStrings = map[string]map[string]string{
	"en": {
		"scenario":         "Scenario",
		"exercise":         "Exercise",
		"goal":             "Goal:",
		"lessons":          "Lessons",
		"playground":       "Playground",
		"home":             "Home",
		"other-lang":       "中文",
		"other-lang-name":  "阅读中文版",
		"contents":         "On this page",
		"previous":         "Previous",
		"next":             "Next",
		"tagline":          "Learn Raft by running it.",
		"intro":            "A real Raft implementation runs a whole cluster right here in your browser. Watch leaders get elected and logs get replicated; step through it event by event, rewind, crash servers, cut the network, and switch a safety rule off to see exactly what it protects.",
		"start":            "Start with lesson 1",
		"open-playground":  "Open the playground",
		"playground-intro": "Five servers, a simulated network, and you in charge. Click a server to crash it, time it out or send it a command; drag the timeline to rewind; switch rules off in the Rules panel. Edit the scenario below and run it, or share your run as a link.",
		"noscript":         "The live cluster needs JavaScript and WebAssembly. Without them, you can still read the scenarios as text.",
		"footer":           "raftplay · the Raft paper: “In Search of an Understandable Consensus Algorithm” (Ongaro and Ousterhout, 2014).",
		"not-found":        "This page does not exist.",
		"works-offline":    "Everything runs in your browser; nothing is sent anywhere.",
	},
	"zh": {
		"scenario":         "场景",
		"exercise":         "练习",
		"goal":             "目标：",
		"lessons":          "课程",
		"playground":       "实验场",
		"home":             "首页",
		"other-lang":       "English",
		"other-lang-name":  "Read in English",
		"contents":         "本页内容",
		"previous":         "上一课",
		"next":             "下一课",
		"tagline":          "在运行中学习 Raft。",
		"intro":            "一个真正的 Raft 实现就在你的浏览器里运行整个集群。观察领导者（leader）如何选出、日志如何复制；逐个事件单步执行、倒回时间、让服务器崩溃、切断网络，再关掉某条安全规则，亲眼看看它到底保护了什么。",
		"start":            "从第 1 课开始",
		"open-playground":  "打开实验场",
		"playground-intro": "五台服务器、一个模拟网络，由你掌控。点击服务器可以让它崩溃、超时或接收命令；拖动时间轴可以倒回；在“规则”面板里关掉规则。也可以编辑下面的场景并运行，或把你的运行过程分享为链接。",
		"noscript":         "实时集群需要 JavaScript 和 WebAssembly。没有它们，你仍然可以把场景当作文本阅读。",
		"footer":           "raftplay · Raft 论文：“In Search of an Understandable Consensus Algorithm”（Ongaro 与 Ousterhout，2014）。",
		"not-found":        "这个页面不存在。",
		"works-offline":    "一切都在你的浏览器中运行，不会向任何地方发送数据。",
	},
}
