package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"raftplay/raft/scenario"
)

// loadScenarios parses a .raft file (one scenario) or a markdown file
// (one scenario per ```raft block).
func loadScenarios(path string) ([]*scenario.Scenario, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".markdown") {
		return scenario.ParseMarkdown(path, string(src))
	}
	s, err := scenario.Parse(path, string(src))
	if err != nil {
		return nil, err
	}
	return []*scenario.Scenario{s}, nil
}

// scenarioFiles expands files and folders into the .raft and .md files
// under them, in a stable order. A named file is taken whatever its ending.
func scenarioFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && (strings.HasPrefix(d.Name(), ".") || d.Name() == "fuzz") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".raft") || strings.HasSuffix(path, ".md")) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, errors.New(p + ": no .raft or .md files in this folder")
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}
