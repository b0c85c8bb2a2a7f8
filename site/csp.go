package main

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// contentSecurityPolicy is the policy of every page, as a meta tag (which
// also works from file://) and, from raftplay serve, as a header. Scripts
// come only from the site itself, plus the one inline loader, allowed by
// its hash; WebAssembly may be compiled; workers come from the site or
// from a blob (a page opened from file:// makes its worker from a Blob);
// styles only from the site's stylesheet (scripts set styles through the
// CSSOM, which a policy allows, not with style attributes, which it
// refuses); no plugins, no <base>, no form posts, and no request to any
// other site. An offline bundle's pages are files: there 'self' is not
// enough for Chrome to load the page's own scripts, so file: is allowed
// for scripts and styles too.
func contentSecurityPolicy(early string, offline bool) string {
	self := "'self'"
	if offline {
		self += " file:"
	}
	script := self
	if early != "" {
		sum := sha256.Sum256([]byte(early))
		script += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + script + " 'wasm-unsafe-eval'",
		"style-src " + self,
		"img-src 'self' data:",
		"connect-src 'self'",
		"worker-src " + self + " blob:",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
}

// cspHeader is the policy as raftplay serve sends it: the same, plus
// frame-ancestors, which only a header can carry (no other site may frame
// the pages).
func cspHeader(early string, offline bool) string {
	return contentSecurityPolicy(early, offline) + "; frame-ancestors 'none'"
}

// CSP is the policy of this page, for the template.
func (p pageData) CSP() string {
	return contentSecurityPolicy(string(p.Assets.Early), p.Assets.WasmScript != "")
}
