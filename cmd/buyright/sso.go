package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"buyright/internal/model"
	"buyright/internal/sso"
	"buyright/internal/store"
)

func init() {
	register(command{name: "sso", summary: "single sign-on: sso set --org ORG ... | sso list | sso remove --org ORG", run: runSSO})
}

const ssoUsage = "buyright sso set --org ORG --label NAME --issuer URL --client-id ID --role ROLE [--domains 'a.org b.org'] [--claim NAME=VALUE] [--passwords-off]\n" +
	"       buyright sso list | buyright sso remove --org ORG"

func runSSO(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, "Usage: "+ssoUsage)
		if len(args) > 0 {
			return flagHelp
		}
		return fmt.Errorf("%w: %s", errUsage, ssoUsage)
	}
	switch args[0] {
	case "set":
		return runSSOSet(ctx, e, args[1:])
	case "list":
		return runSSOList(ctx, e, args[1:])
	case "remove":
		return runSSORemove(ctx, e, args[1:])
	}
	return fmt.Errorf("%w: %s", errUsage, ssoUsage)
}

// runSSOSet records an organisation's provider. The client secret never
// goes on the command line (where ps and shell history would show it): it
// comes from BUYRIGHT_SSO_CLIENT_SECRET, else is asked on a terminal or read
// from the first line of standard input; empty keeps the stored one.
func runSSOSet(ctx context.Context, e *env, args []string) error {
	fs := newFlags("sso set", "--org ORG --label NAME --issuer URL --client-id ID --role ROLE [flags]", e.stderr)
	dbURL := dbFlag(fs, e)
	orgSlug := fs.String("org", "", "short name of the organisation")
	label := fs.String("label", "", `the provider's name on the sign-in button ("Sign in with NAME")`)
	issuer := fs.String("issuer", "", "issuer URL (https://; http only on loopback)")
	clientID := fs.String("client-id", "", "client ID registered with the provider")
	domains := fs.String("domains", "", "e-mail domains the provider may sign in, separated by spaces or commas")
	claim := fs.String("claim", "", "a claim the ID token must carry, as NAME=VALUE (e.g. groups=procurement)")
	role := fs.String("role", "", "role of accounts made at first sign-in (not admin)")
	off := fs.Bool("passwords-off", false, "members sign in through the provider only (site administrators keep passwords)")
	keyFile := fs.String("complaint-key-file", "", "file holding the installation's complaint key, which seals the client secret (as for serve)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *orgSlug == "" {
		return fmt.Errorf("%w: --org is required", errUsage)
	}
	db, err := openDB(ctx, *dbURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.OrgBySlug(ctx, *orgSlug)
	if err != nil {
		return fmt.Errorf("--org %s: %w", *orgSlug, err)
	}
	// The secret is sealed with the key every server is given, found and
	// checked as serve does.
	key, err := complaintKey(ctx, e, db, *keyFile, *dbURL, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	if err := db.SetSecretKey(key); err != nil {
		return err
	}
	p := &sso.Provider{OrgID: org.ID, Label: *label, Issuer: *issuer, ClientID: *clientID, Domains: sso.ParseDomains(*domains), Role: model.Role(*role), PasswordsOff: *off}
	if *claim != "" {
		var ok bool
		if p.ClaimName, p.ClaimValue, ok = strings.Cut(*claim, "="); !ok {
			return fmt.Errorf("%w: --claim takes NAME=VALUE", errUsage)
		}
	}
	if p.ClientSecret, err = readSecret(e); err != nil {
		return err
	}
	if err := db.SaveSSOProvider(ctx, store.Actor{Label: "cli"}, p); err != nil {
		return describe(ssoFlagNames(err))
	}
	fmt.Fprintf(e.stdout, "%s signs in with %s; register the redirect URL <your --base-url>/signin/sso/callback with the provider\n", org.Slug, p.Label)
	return nil
}

// ssoFlagNames renames the form's field names in errors to the flags'.
func ssoFlagNames(err error) error {
	var me *model.Error
	if !errors.As(err, &me) {
		return err
	}
	names := map[string]string{"sso_label": "label", "email_domains": "domains", "claim_name": "claim", "client_secret": "client-secret (BUYRIGHT_SSO_CLIENT_SECRET)", "client_id": "client-id"}
	fe := model.FieldErrors{}
	for k, v := range me.Fields {
		if n, ok := names[k]; ok {
			k = n
		}
		fe[k] = v
	}
	c := *me
	c.Fields = fe
	return &c
}

func readSecret(e *env) (string, error) {
	if v := e.getenv("BUYRIGHT_SSO_CLIENT_SECRET"); v != "" {
		return v, nil
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Client secret (empty keeps the stored one): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", nil
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runSSOList(ctx context.Context, e *env, args []string) error {
	fs := newFlags("sso list", "[--db URL]", e.stderr)
	dbURL := dbFlag(fs, e)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	ps, err := db.SSOProviders(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		claim := ""
		if p.ClaimName != "" {
			claim = " claim=" + p.ClaimName + "=" + p.ClaimValue
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\tclient=%s\tdomains=%s\trole=%s%s\tpasswords_off=%v\n",
			p.OrgSlug, p.Label, p.Issuer, p.ClientID, strings.Join(p.Domains, ","), p.Role, claim, p.PasswordsOff)
	}
	return nil
}

func runSSORemove(ctx context.Context, e *env, args []string) error {
	fs := newFlags("sso remove", "--org ORG [--db URL]", e.stderr)
	dbURL := dbFlag(fs, e)
	orgSlug := fs.String("org", "", "short name of the organisation")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *orgSlug == "" {
		return fmt.Errorf("%w: --org is required", errUsage)
	}
	db, err := openDB(ctx, *dbURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.OrgBySlug(ctx, *orgSlug)
	if err != nil {
		return fmt.Errorf("--org %s: %w", *orgSlug, err)
	}
	if err := db.RemoveSSOProvider(ctx, store.Actor{Label: "cli"}, org.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s signs in with passwords again\n", org.Slug)
	return nil
}
