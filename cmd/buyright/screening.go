package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"buyright/internal/catalog"
	"buyright/internal/screening"
)

func init() {
	register(command{name: "screening", summary: "score a screening answer file or print the questionnaire", run: runScreening})
}

const screeningUsage = `score [--catalog-dir DIR] FILE | questions [--catalog-dir DIR]

  score FILE   score an answer file (a JSON object keyed by question id;
               FILE - reads standard input) and print the result as JSON;
               an incomplete file is a draft: the result is printed, the
               unanswered questions are named and the exit status is 1
  questions    print the questionnaire as JSON`

func runScreening(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: buyright screening %s", errUsage, screeningUsage)
	}
	switch args[0] {
	case "score":
		return runScreeningScore(e, args[1:])
	case "questions":
		return runScreeningQuestions(e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(e.stdout, "Usage: buyright screening %s\n", screeningUsage)
		return flagHelp
	}
	return fmt.Errorf("%w: unknown screening subcommand %q; use score or questions", errUsage, args[0])
}

func runScreeningScore(e *env, args []string) error {
	fs := newFlags("screening score", "[--catalog-dir DIR] FILE", e.stderr)
	dir := fs.String("catalog-dir", "", "directory of catalogue files laid over the built-in ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: screening score takes one answer file", errUsage)
	}
	data, err := readInput(e, fs.Arg(0))
	if err != nil {
		return err
	}
	set, err := catalog.Load(*dir)
	if err != nil {
		return err
	}
	q := screening.New(set)
	answers, err := q.ParseAnswers(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	res := q.Score(answers)
	if err := writeJSON(e.stdout, res); err != nil {
		return err
	}
	if !res.Complete() {
		// A draft is not a result: a level printed without the missing
		// answers would read as "level I" for an empty file.
		return fmt.Errorf("%s: draft: %d questions still unanswered (%s); the level so far (%s) is not a result",
			fs.Arg(0), len(res.Missing), strings.Join(res.Missing, ", "), res.LevelName)
	}
	return nil
}

func runScreeningQuestions(e *env, args []string) error {
	fs := newFlags("screening questions", "[--catalog-dir DIR]", e.stderr)
	dir := fs.String("catalog-dir", "", "directory of catalogue files laid over the built-in ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: screening questions takes no arguments", errUsage)
	}
	set, err := catalog.Load(*dir)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, screening.New(set).Questions())
}

// answerFileLimit keeps a mistaken path (a disk image, a log) from being
// read whole; an answer file is a few kilobytes.
const answerFileLimit = 1 << 20

func readInput(e *env, path string) ([]byte, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, answerFileLimit+1))
	if err != nil {
		return nil, err
	}
	if len(data) > answerFileLimit {
		return nil, fmt.Errorf("%s: larger than %d bytes; not an answer file", path, answerFileLimit)
	}
	return data, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
