// Command buyright is the whole product in one binary: the web application,
// the administration commands, and the open-contracting tools.
//
// Each subcommand lives in its own file and registers itself in init, so a
// new command is a new file and nothing else.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand: its name, a one-line summary for `buyright help`,
// and the function that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the outside world. Tests replace it.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("buyright: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks an error whose message already explains the correct usage;
// main prints it without a prefix and exits with 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and turns its error into one line on stderr
// and an exit code: 2 for wrong usage, 1 for anything else. No stack traces.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return exitCode(e, c.run(ctx, e, []string{"-h"}))
			}
		}
		printHelp(e.stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "buyright: unknown command %q; run 'buyright help' for the list\n", args[0])
		return 2
	}
	return exitCode(e, c.run(ctx, e, args[1:]))
}

func exitCode(e *env, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flagHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(e.stderr, "buyright:", err)
		return 2
	default:
		fmt.Fprintln(e.stderr, "buyright:", err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "buyright: human-rights due diligence for public purchases")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: buyright <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'buyright help <command>' for the flags of one command.")
}
