package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// flagHelp is returned when the user asked for -h; the usage has been printed.
var flagHelp = errors.New("help shown")

// newFlags makes a FlagSet that prints its usage to w and reports errors
// instead of exiting, so commands stay testable.
func newFlags(name, usage string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: buyright %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps the flag package's errors onto ours.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return flagHelp
	}
	if err != nil {
		return fmt.Errorf("%w: %s %v", errUsage, fs.Name(), err)
	}
	return nil
}
