package main

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"

	"raftplay/raft/scenario"
)

// A ```raft fenced block becomes a live cluster widget. The markdown is
// parsed by goldmark (GFM, front matter); an AST transformer replaces each
// raft block by a widget node, and a renderer writes the widget's markup:
// a figure that holds the scenario as code, which reads well without
// JavaScript and which the front end turns into a running cluster. Raw
// HTML in the markdown stays escaped (goldmark's default).

// kindWidget is the AST node kind of a scenario widget.
var kindWidget = ast.NewNodeKind("RaftWidget")

// widgetNode is a ```raft block in the document.
type widgetNode struct {
	ast.BaseBlock
	source []byte
	line   int // the fence's line in the markdown file
	index  int // 1, 2, ... in the document
}

func (n *widgetNode) Kind() ast.NodeKind { return kindWidget }

func (n *widgetNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"line": strconv.Itoa(n.line)}, nil)
}

// widgetTransformer replaces raft fenced code blocks by widget nodes.
type widgetTransformer struct{}

func (widgetTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var blocks []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fc, ok := n.(*ast.FencedCodeBlock); ok && entering {
			if fields := strings.Fields(string(fc.Language(src))); len(fields) > 0 && fields[0] == "raft" {
				blocks = append(blocks, fc)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for i, fc := range blocks {
		var body bytes.Buffer
		lines := fc.Lines()
		for j := 0; j < lines.Len(); j++ {
			seg := lines.At(j)
			body.Write(seg.Value(src))
		}
		w := &widgetNode{source: body.Bytes(), index: i + 1, line: fenceLine(src, fc)}
		fc.Parent().ReplaceChild(fc.Parent(), fc, w)
	}
}

// fenceLine returns the 1-based line of a fenced block's opening fence:
// the line before its first content line (or, for an empty block, the
// line of its info string).
func fenceLine(src []byte, fc *ast.FencedCodeBlock) int {
	var off int
	switch {
	case fc.Lines().Len() > 0:
		off = fc.Lines().At(0).Start
		return bytes.Count(src[:off], []byte("\n"))
	case fc.Info != nil:
		off = fc.Info.Segment.Start
	}
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// widgetRenderer writes widget nodes as HTML.
type widgetRenderer struct {
	file string // the markdown file's path, for positions
	lang string
}

func (r widgetRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindWidget, r.render)
}

func (r widgetRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	wn := n.(*widgetNode)
	name := r.file + ":" + strconv.Itoa(wn.line)
	s, err := scenario.Parse(name, string(wn.source))
	title, goal := "", ""
	exercise := false
	if err == nil {
		title = s.Title
		if s.IsExercise() {
			exercise = true
			goal = s.Goal.String()
		}
	}
	if title == "" {
		title = uiText(r.lang, "scenario") + " " + strconv.Itoa(wn.index)
		if exercise {
			title = uiText(r.lang, "exercise")
		}
	}
	cls := "raft-widget"
	if exercise {
		cls += " raft-exercise"
	}
	esc := func(s string) { _, _ = w.Write(util.EscapeHTML([]byte(s))) }
	_, _ = w.WriteString(`<figure class="` + cls + `" id="scenario-` + strconv.Itoa(wn.index) + `" data-name="`)
	esc(name)
	_, _ = w.WriteString(`" data-index="` + strconv.Itoa(wn.index) + `" data-autoplay="visible">` + "\n")
	_, _ = w.WriteString(`<figcaption class="raft-title">`)
	esc(title)
	_, _ = w.WriteString("</figcaption>\n")
	if exercise {
		_, _ = w.WriteString(`<p class="raft-goal"><span>` + uiText(r.lang, "goal") + `</span> <code>`)
		esc(goal)
		_, _ = w.WriteString("</code></p>\n")
	}
	_, _ = w.WriteString(`<pre class="raft-source"><code>`)
	esc(string(wn.source))
	_, _ = w.WriteString("</code></pre>\n</figure>\n")
	return ast.WalkContinue, nil
}

// titleRemover drops a lesson's leading level-1 heading: the page shows the
// title from the front matter in the lesson's header instead.
type titleRemover struct{}

func (titleRemover) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			doc.RemoveChild(doc, h)
		}
		return // only the first block counts
	}
}

// heading is an h2 of a lesson, for its table of contents.
type heading struct {
	ID, Text string
}

// renderMarkdown renders a lesson (front matter stripped) to HTML and
// returns its h2 headings. A malformed ::: container (see details.go) is
// an error, with its file and line.
func renderMarkdown(file, lang string, src []byte) ([]byte, []heading, error) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, &frontmatter.Extender{}, detailsExtension{}),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(widgetTransformer{}, 100), util.Prioritized(titleRemover{}, 200)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(widgetRenderer{file: file, lang: lang}, 100)),
		),
	)
	ctx := parser.NewContext()
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	if err := containerErr(ctx, file, src); err != nil {
		return nil, nil, err
	}
	var hs []heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level == 2 {
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			hs = append(hs, heading{ID: string(idb), Text: plainText(h, src)})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), hs, nil
}

// plainText collects the text of a node's inline children.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tx, ok := cc.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
