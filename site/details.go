package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Expandable sections in lessons. Raw HTML is not rendered, so a lesson
// cannot write <details> itself; it writes a container instead:
//
//	::: details Reference: the RPCs' fields
//	Any markdown: paragraphs, lists, tables, code.
//	:::
//
// which becomes <details class="aside"><summary>Reference: the RPCs'
// fields</summary>…</details>: closed at first, opened by a click or the
// keyboard (a summary is a button), opened for printing (see print.js).
// The fence is three or more colons; the closing fence has exactly as
// many, so that a section inside another is written with a longer outer
// fence (:::: outside, ::: inside). The summary is inline markdown.
//
// Anything else that looks like a fence is a mistake the build reports,
// with its line: a container of another kind, one without a summary, a
// closing fence that closes nothing, and a section left open at the end
// of the file (or of the list or quote it stands in).

var (
	kindDetails = ast.NewNodeKind("Details")
	kindSummary = ast.NewNodeKind("DetailsSummary")
	// detailsErrors holds, in the parser's context, the mistakes found
	// (*[]containerError).
	detailsErrors = parser.NewContextKey()
)

// detailsNode is an expandable section; its first child is its summary.
type detailsNode struct {
	ast.BaseBlock
	fence  int  // the number of colons of its opening fence
	offset int  // where its opening fence starts in the source
	closed bool // whether its closing fence was seen
}

func (n *detailsNode) Kind() ast.NodeKind { return kindDetails }

func (n *detailsNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"fence": strconv.Itoa(n.fence)}, nil)
}

// summaryNode is a section's summary line, parsed as inline markdown.
type summaryNode struct{ ast.BaseBlock }

func (n *summaryNode) Kind() ast.NodeKind { return kindSummary }

func (n *summaryNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// containerError is a malformed fence, at an offset in the source.
type containerError struct {
	offset int
	msg    string
}

func addContainerError(pc parser.Context, offset int, msg string) {
	errs, _ := pc.Get(detailsErrors).(*[]containerError)
	if errs == nil {
		errs = &[]containerError{}
		pc.Set(detailsErrors, errs)
	}
	for _, e := range *errs {
		if e.offset == offset {
			return
		}
	}
	*errs = append(*errs, containerError{offset, msg})
}

// containerErr returns the first mistake found in parsing src, as
// "file:line: message", or nil.
func containerErr(pc parser.Context, file string, src []byte) error {
	errs, _ := pc.Get(detailsErrors).(*[]containerError)
	if errs == nil || len(*errs) == 0 {
		return nil
	}
	first := (*errs)[0]
	for _, e := range *errs {
		if e.offset < first.offset {
			first = e
		}
	}
	line := bytes.Count(src[:first.offset], []byte("\n")) + 1
	return fmt.Errorf("%s:%d: %s", file, line, first.msg)
}

// readFence reads a line as a container fence: its indentation (at most three
// spaces), the number of colons (at least three), and the rest of the
// line, trimmed. ok is false for a line that is not a fence.
func readFence(line []byte, offset int) (pos, colons int, rest []byte, ok bool) {
	w, pos := util.IndentWidth(line, offset)
	if w > 3 {
		return 0, 0, nil, false
	}
	i := pos
	for i < len(line) && line[i] == ':' {
		i++
	}
	if i-pos < 3 {
		return 0, 0, nil, false
	}
	return pos, i - pos, util.TrimRightSpace(util.TrimLeftSpace(line[i:])), true
}

type detailsParser struct{}

func (detailsParser) Trigger() []byte { return []byte{':'} }

func (detailsParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos, colons, rest, ok := readFence(line, reader.LineOffset())
	if !ok {
		return nil, parser.NoChildren
	}
	// line may begin with padding (a tab's spaces) that the source lacks.
	base := seg.Start - seg.Padding
	at := base + pos
	fence := strings.Repeat(":", colons)
	word, summary, _ := strings.Cut(string(rest), " ")
	summary = strings.TrimLeft(summary, " \t")
	switch {
	case len(rest) == 0:
		addContainerError(pc, at, "a closing "+fence+" with no section open (a section inside another needs a longer outer fence, such as ::::)")
		return nil, parser.NoChildren
	case word != "details":
		addContainerError(pc, at, fmt.Sprintf("unknown container %q: the only one is %s details <summary>", word, fence))
		return nil, parser.NoChildren
	case summary == "":
		addContainerError(pc, at, fence+" details needs a summary on its line: "+fence+" details <summary>")
		return nil, parser.NoChildren
	}
	n := &detailsNode{fence: colons, offset: at}
	// The summary is the end of the line's text: rest ends where the
	// line's trailing space begins.
	end := len(util.TrimRightSpace(line))
	s := &summaryNode{}
	s.Lines().Append(text.NewSegment(base+end-len(summary), base+end))
	n.AppendChild(n, s)
	reader.AdvanceToEOL()
	return n, parser.HasChildren
}

func (detailsParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*detailsNode)
	line, _ := reader.PeekLine()
	if _, colons, rest, ok := readFence(line, reader.LineOffset()); ok && colons == n.fence && len(rest) == 0 {
		n.closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

func (detailsParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	n := node.(*detailsNode)
	if !n.closed {
		fence := strings.Repeat(":", n.fence)
		addContainerError(pc, n.offset, "this "+fence+" details is never closed: end it with a line "+fence+" (a section inside another needs a longer outer fence, such as ::::)")
	}
}

func (detailsParser) CanInterruptParagraph() bool { return true }

func (detailsParser) CanAcceptIndentedLine() bool { return false }

// detailsRenderer writes sections as <details> and <summary>.
type detailsRenderer struct{}

func (detailsRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindDetails, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<details class="aside">` + "\n")
		} else {
			_, _ = w.WriteString("</details>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindSummary, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<summary>")
		} else {
			_, _ = w.WriteString("</summary>\n")
		}
		return ast.WalkContinue, nil
	})
}

// detailsExtension adds expandable sections to a goldmark.
type detailsExtension struct{}

func (detailsExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(detailsParser{}, 150)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(detailsRenderer{}, 100)))
}
