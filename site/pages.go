package main

import (
	"bytes"
	"embed"
	"html/template"
	"strconv"
	"strings"

	"raftplay/lessons"
)

//go:embed templates/*.html
var templateFiles embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"t":   uiText,
	"num": lessonNumber,
}).ParseFS(templateFiles, "templates/*.html"))

// assetNames are the file names, under assets/, of the front end's files.
type assetNames struct {
	App, CSS, Wasm string
	// WasmScript is set in offline bundles: a script that carries the
	// wasm (gzip, base64), since pages opened from file:// cannot fetch.
	WasmScript string
	// The explorer, loaded by a page only when a learner asks for a
	// search: on the site its wasm and its worker's script; in offline
	// bundles, ExplorerScript, a script that carries both (see
	// explorerScript in bundle.go).
	Explorer, ExplorerWorker, ExplorerScript string
	// Early is not a file: it is the script put inline in the head of pages
	// with a live cluster, which starts downloading and compiling the wasm.
	Early template.JS
}

// site is everything the pages are made from.
type site struct {
	lessons []lessons.Lesson
	assets  assetNames
	langs   []string // languages to build (all by default)
	only    map[string]bool
	base    string // the site's URL path, for 404.html; empty when unknown
}

// page is one generated HTML file, at a path relative to the site root.
type page struct {
	Path string
	HTML []byte
}

// pageData is what the templates see.
type pageData struct {
	Lang, HTMLLang string
	Base           string // relative path from the page to the site root
	Page           string // home, playground, lesson, notfound
	Title          string
	AltHref        string // the same page in the other language
	AltLang        string
	HomeHref       string
	PlayHref       string
	Assets         assetNames
	Lessons        []lessonLink
	Lesson         *lessonView
	Scenario       string // the playground's starting scenario, or the home page's cluster
	Live           bool   // the page has live clusters, so it loads the simulator
}

type lessonLink struct {
	Slug, Title, Summary, Href string
	Order                      int
	// Exercises and Questions count the lesson's exercises and
	// questions, for the progress shown on the home page.
	Exercises, Questions int
}

type lessonView struct {
	lessonLink
	Content    template.HTML
	TOC        []heading
	Prev, Next *lessonLink
}

// playgroundScenario is where the playground starts: five servers that
// elect a leader by themselves.
const playgroundScenario = `# The playground: five servers on a simulated network.
# Edit this scenario and press Run, or just watch and poke.
cluster 5 seed=1
`

func htmlLang(lang string) string {
	if lang == "zh" {
		return "zh-CN"
	}
	return lang
}

// prefix is the folder of a language's pages: "" for English, "zh/".
func prefix(lang string) string {
	if lang == "en" {
		return ""
	}
	return lang + "/"
}

func otherLang(lang string) string {
	if lang == "zh" {
		return "en"
	}
	return "zh"
}

// baseOf returns the relative path from a page to the site root.
func baseOf(pagePath string) string {
	return strings.Repeat("../", strings.Count(pagePath, "/"))
}

func (s *site) wants(lang string) bool {
	if len(s.langs) == 0 {
		return true
	}
	for _, l := range s.langs {
		if l == lang {
			return true
		}
	}
	return false
}

func (s *site) lessonsIn(lang string) []lessons.Lesson {
	var out []lessons.Lesson
	for _, l := range lessons.In(s.lessons, lang) {
		if s.only == nil || s.only[l.Slug] {
			out = append(out, l)
		}
	}
	return out
}

func (s *site) data(lang, path, kind, title string) pageData {
	base := baseOf(path)
	if path == "404.html" && s.base != "" {
		// A host shows 404.html for a missing file at any depth: its links
		// start at the site's own path, not where the page is shown.
		base = s.base
	}
	alt := otherLang(lang)
	d := pageData{
		Lang: lang, HTMLLang: htmlLang(lang), Base: base, Page: kind, Title: title,
		AltLang:  alt,
		HomeHref: base + prefix(lang) + "index.html",
		PlayHref: base + prefix(lang) + "playground/index.html",
		Assets:   s.assets,
	}
	if s.wants(alt) {
		d.AltHref = base + prefix(alt) + strings.TrimPrefix(path, prefix(lang))
	}
	for _, l := range s.lessonsIn(lang) {
		link := lessonLink{Slug: l.Slug, Title: l.Title, Summary: l.Summary, Order: l.Order,
			Href: base + prefix(lang) + "lessons/" + l.Slug + "/index.html"}
		if scens, err := l.Scenarios(); err == nil {
			for _, sc := range scens {
				if sc.IsExercise() {
					link.Exercises++
				}
				link.Questions += len(sc.Questions)
			}
		}
		d.Lessons = append(d.Lessons, link)
	}
	return d
}

func render(name string, d pageData) ([]byte, error) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pages renders every page of the site.
func (s *site) pages() ([]page, error) {
	var out []page
	add := func(path, tmpl string, d pageData) error {
		b, err := render(tmpl, d)
		if err != nil {
			return err
		}
		out = append(out, page{Path: path, HTML: b})
		return nil
	}
	for _, lang := range []string{"en", "zh"} {
		if !s.wants(lang) {
			continue
		}
		p := prefix(lang)
		home := s.data(lang, p+"index.html", "home", "raftplay")
		home.Scenario = lessons.HomeScenario
		home.Live = true
		if err := add(p+"index.html", "home.html", home); err != nil {
			return nil, err
		}
		d := s.data(lang, p+"playground/index.html", "playground", uiText(lang, "playground"))
		d.Scenario = playgroundScenario
		d.Live = true
		if err := add(p+"playground/index.html", "playground.html", d); err != nil {
			return nil, err
		}
		ls := s.lessonsIn(lang)
		for i, l := range ls {
			path := p + "lessons/" + l.Slug + "/index.html"
			d := s.data(lang, path, "lesson", l.Title)
			html, toc, err := renderMarkdown(l.Path, lang, l.Source)
			if err != nil {
				return nil, err
			}
			v := &lessonView{lessonLink: d.Lessons[i], Content: template.HTML(html), TOC: toc}
			if i > 0 {
				v.Prev = &d.Lessons[i-1]
			}
			if i+1 < len(ls) {
				v.Next = &d.Lessons[i+1]
			}
			d.Lesson = v
			if scens, err := l.Scenarios(); err == nil && len(scens) > 0 {
				d.Live = true
			}
			if err := add(path, "lesson.html", d); err != nil {
				return nil, err
			}
		}
	}
	lang := "en"
	if !s.wants("en") {
		lang = "zh"
		// The site root must have an index.html to open: send it to
		// the Chinese home.
		out = append(out, page{Path: "index.html", HTML: []byte(`<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=zh/index.html"><title>raftplay</title><a href="zh/index.html">raftplay</a>` + "\n")})
	}
	nf := s.data(lang, "404.html", "notfound", uiText(lang, "not-found"))
	nf.AltHref = ""
	if err := add("404.html", "notfound.html", nf); err != nil {
		return nil, err
	}
	return out, nil
}

// lessonNumber writes "Lesson 3" or "第 3 课".
func lessonNumber(lang string, n int) string {
	if lang == "zh" {
		return "第 " + strconv.Itoa(n) + " 课"
	}
	return "Lesson " + strconv.Itoa(n)
}
