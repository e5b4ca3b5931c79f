// Browser checks for buyright in headless Chromium:
//   - axe-core (WCAG 2.0/2.1 A and AA rules) on every main page, signed out
//     and signed in with each kind of demo account;
//   - the skip link: the first Tab on a page lands on it, and activating it
//     moves focus to <main>;
//   - a keyboard-only journey: sign in, register a purchase, see it;
//   - screenshots of the dashboard and a purchase at 1280 px and 390 px wide
//     into e2e/out/ for a person to look at, plus a horizontal-scroll check.
//
// Usage: node a11y.mjs   (run.sh sets everything up; see README.md)
// Environment:
//   BASE_URL       the running server, e.g. http://127.0.0.1:43117
//   DEMO_SIGNINS   file holding what `buyright serve --demo` printed
//   CHROMIUM       browser binary (default /usr/bin/chromium)
//   OUT_DIR        where screenshots go (default e2e/out)
//   AXE_BEST_PRACTICE=0  skip axe's best-practice rules (shown as warnings)
//
// It prints one line per check, every axe violation in full, and ends with
// "e2e: N passed, N failed". Exit status 1 when anything failed.

import { readFileSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const BASE = (process.env.BASE_URL || '').replace(/\/$/, '');
if (!BASE) {
  console.error('BASE_URL is not set (run e2e/run.sh)');
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = process.env.OUT_DIR || join(here, 'out');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BEST_PRACTICE = process.env.AXE_BEST_PRACTICE !== '0';
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// A hard stop for the whole script, so a hung browser cannot hold CI.
const WATCHDOG_MS = Number(process.env.E2E_TIMEOUT_MS || 6 * 60 * 1000);
const profiles = new Set();
const watchdog = setTimeout(() => {
  console.error(`e2e: gave up after ${WATCHDOG_MS / 1000}s (watchdog)`);
  console.log(`e2e: ${passed} passed, ${failed + 1} failed`);
  // Playwright kills the browsers it launched when Node exits; the
  // profile directories go in our own exit handler, which runs after its.
  process.exit(1);
}, WATCHDOG_MS);
function removeProfile(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch {
    // A leftover directory in /tmp is not worth failing the run for.
  }
  profiles.delete(dir);
}
watchdog.unref();

// ---- demo accounts -------------------------------------------------------

// Lines printed by `serve --demo` look like
//   "  ana@portavera.example        Pky8HR6sNxCKytWk5xDK   officer"
function readSignins(file) {
  const out = new Map();
  if (!file) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s+(\S+@\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (m) out.set(m[1], { email: m[1], password: m[2], role: m[3] });
  }
  return out;
}
const signins = readSignins(process.env.DEMO_SIGNINS);
function account(email) {
  const a = signins.get(email);
  if (!a) throw new Error(`no demo password for ${email} in ${process.env.DEMO_SIGNINS}`);
  return a;
}

// ---- results ------------------------------------------------------------

let passed = 0;
let failed = 0;
const failures = [];
const warnings = [];

function pass(name, extra = '') {
  passed++;
  console.log(`ok    ${name}${extra ? '  ' + extra : ''}`);
}
function fail(name, why) {
  failed++;
  failures.push(`${name}: ${why}`);
  console.log(`FAIL  ${name}\n      ${String(why).split('\n').join('\n      ')}`);
}
function warn(name, why) {
  warnings.push(`${name}: ${why}`);
  console.log(`warn  ${name}: ${why}`);
}
async function check(name, fn) {
  try {
    const extra = await fn();
    pass(name, extra || '');
  } catch (err) {
    fail(name, err && err.message ? err.message : String(err));
  }
}

// ---- browser ------------------------------------------------------------

const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

// Each session gets its own browser with a fresh, throw-away profile
// directory, so no cookie or cache leaks from one person to the next.
async function openSession({ width = 1280, height = 900 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'buyright-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_ARGS,
    viewport: { width, height },
    locale: 'en-GB',
    timeout: 30000,
  });
  if (profiles.size === 0 && !removeProfile.hooked) {
    removeProfile.hooked = true;
    process.on('exit', () => [...profiles].forEach(removeProfile));
  }
  profiles.add(profile);
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  // A refused or missing resource (stylesheet, favicon...) or a CSP report
  // is worth a warning; the page's own 4xx status is expected on some pages
  // and shows in the check's line instead.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) problems.push(msg.text());
  });
  page.on('response', (resp) => {
    const req = resp.request();
    if (resp.status() >= 400 && !(req.isNavigationRequest() && req.frame() === page.mainFrame())) {
      problems.push(`${resp.status()} for ${req.resourceType()} ${resp.url()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  return {
    page,
    context,
    problems,
    async close() {
      await context.close().catch(() => {});
      removeProfile(profile);
    },
  };
}

async function signIn(page, who) {
  const a = account(who);
  await page.goto(BASE + '/signin');
  await page.fill('#f-email', a.email);
  await page.fill('#f-password', a.password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  if (new URL(page.url()).pathname === '/signin') {
    throw new Error(`sign-in as ${who} failed (still on /signin)`);
  }
}

// ---- axe ----------------------------------------------------------------

// The application's Content-Security-Policy forbids every script
// (default-src 'none'), so page.addScriptTag would be refused. Playwright's
// page.evaluate runs through the DevTools protocol, which CSP does not
// govern, so axe goes in that way and the page keeps its real policy: no
// bypassCSP context is needed, and what axe sees is what a person gets.
async function runAxe(page, tags = AXE_TAGS) {
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.length > 160 ? n.html.slice(0, 157) + '...' : n.html,
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
      })),
    }));
  }, tags);
}

function describe(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} [${v.impact}] ${v.help}`);
    for (const n of v.nodes) {
      lines.push(`  at ${n.target}`);
      lines.push(`     ${n.html}`);
      if (n.summary) lines.push(`     ${n.summary}`);
    }
  }
  return lines.join('\n');
}

// Proves that axe really runs inside the app's pages (under their CSP) and
// reports what it finds: a page with a known fault must fail.
async function axeSelfTest() {
  const s = await openSession();
  try {
    await check('axe  self-test finds a planted fault', async () => {
      await s.page.goto(BASE + '/signin');
      await s.page.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
        img.id = 'planted-fault';
        document.querySelector('main').append(img);
      });
      const v = await runAxe(s.page);
      const hit = v.find((x) => x.id === 'image-alt' && x.nodes.some((n) => n.target.includes('planted-fault')));
      if (!hit) throw new Error(`axe did not report the planted <img> without alt (got ${JSON.stringify(v.map((x) => x.id))})`);
    });
  } finally {
    await s.close();
  }
}

// The first Tab on a freshly loaded page must reach the skip link, and
// following it must put focus on <main>.
async function checkSkipLink(page) {
  await page.evaluate(() => {
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    return el ? { tag: el.tagName, cls: el.className, text: el.textContent.trim(), href: el.getAttribute('href') } : null;
  });
  if (!first || first.tag !== 'A' || first.href !== '#main') {
    throw new Error(`first Tab focused ${JSON.stringify(first)}, not the skip link`);
  }
  if (first.text !== 'Skip to main content') {
    throw new Error(`skip link says "${first.text}"`);
  }
  const visible = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.left >= 0 && r.top >= 0 && r.width > 0 && r.height > 0;
  });
  if (!visible) throw new Error('skip link is focused but not on screen');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main', null, { timeout: 3000 })
    .catch(async () => {
      const at = await page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 80));
      throw new Error(`after the skip link, focus is on ${at}, not <main id="main">`);
    });
}

// One page: load it (or let `arrive` get there), run axe, check the skip
// link. Returns the page's final URL.
async function auditPage(session, label, target, who) {
  const { page, problems } = session;
  const name = `${who.padEnd(10)} ${label}`;
  problems.length = 0;
  let status = 0;
  try {
    if (typeof target === 'function') {
      status = await target(page);
    } else {
      const resp = await page.goto(BASE + target);
      status = resp ? resp.status() : 0;
    }
  } catch (err) {
    fail(`axe  ${name}`, `could not load: ${err.message}`);
    return null;
  }
  const where = new URL(page.url());
  const shown = `${status} ${where.pathname}${where.search}`;
  await check(`axe  ${name}`, async () => {
    const v = await runAxe(page);
    if (v.length) throw new Error(`(${shown}) ${v.length} rule(s) violated\n${describe(v)}`);
    return `(${shown})`;
  });
  // axe's best-practice rules (landmarks, heading order...) are not WCAG
  // failures; they are printed as warnings and do not fail the run.
  if (BEST_PRACTICE) {
    const bp = await runAxe(page, ['best-practice']).catch((err) => [{ id: 'axe-error', impact: '', nodes: [{ target: err.message }] }]);
    for (const v of bp) warn(`best-practice ${name}`, `${v.id} [${v.impact}] at ${v.nodes.map((n) => n.target).join(', ')}`);
  }
  await check(`skip ${name}`, () => checkSkipLink(page));
  if (problems.length) warn(`console ${name}`, problems.join(' | '));
  return page.url();
}

// ---- the pages -----------------------------------------------------------

// Submits the new-purchase form with the title left empty, so the form
// comes back with its error summary and field errors.
async function formWithErrors(page) {
  await page.goto(BASE + '/purchases/new');
  if (!(await page.locator('#f-title').count())) return 0;
  await page.fill('#f-title', '');
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  const status = resp ? resp.status() : 0;
  if (status !== 422) throw new Error(`expected 422 from the empty form, got ${status}`);
  return status;
}

async function firstPurchasePath(page) {
  await page.goto(BASE + '/purchases');
  const href = await page.locator('table.list tbody a').first().getAttribute('href', { timeout: 5000 }).catch(() => null);
  return href;
}

async function moveLink(page) {
  await page.goto(BASE + '/purchases');
  const hrefs = await page.locator('table.list tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const h of hrefs.slice(0, 10)) {
    await page.goto(BASE + h);
    const move = await page.locator(`main a.primary[href^="${h}/transition?to="]`).first().getAttribute('href', { timeout: 1000 }).catch(() => null);
    if (move) return move;
  }
  return null;
}

async function auditMember(who, label, knownPurchase, canCreate = false) {
  const s = await openSession();
  try {
    if (who) await signIn(s.page, who);
    const tag = label;
    await auditPage(s, '/', '/', tag);
    await auditPage(s, '/signin', '/signin', tag);
    await auditPage(s, '/dashboard', '/dashboard', tag);
    await auditPage(s, '/purchases', '/purchases', tag);
    await auditPage(s, '/purchases?stage=implementation', '/purchases?stage=implementation', tag);
    let pp = who ? await firstPurchasePath(s.page) : knownPurchase;
    if (!pp) {
      fail(`axe  ${tag.padEnd(10)} purchase page`, 'the purchases table has no link to follow');
    } else {
      await auditPage(s, 'purchase', pp, tag);
      await auditPage(s, 'purchase/edit', pp + '/edit', tag);
      // The transition form of the first listed purchase that offers a
      // "Move to ..." link (a cancelled one offers none); for people who
      // may not move purchases, the bare URL and its forbidden page.
      const next = who ? await moveLink(s.page) : null;
      await auditPage(s, 'purchase/transition', next || pp + '/transition', tag);
    }
    await auditPage(s, '/purchases/new', '/purchases/new', tag);
    if (canCreate) await auditPage(s, '/purchases/new with errors', formWithErrors, tag);
    await auditPage(s, '/overrides', '/overrides', tag);
    await auditPage(s, '/account', '/account', tag);
    return pp;
  } catch (err) {
    fail(`session ${label}`, err.message);
    return knownPurchase;
  } finally {
    await s.close();
  }
}

async function auditAdmin(who, label, path) {
  const s = await openSession();
  try {
    await signIn(s.page, who);
    await auditPage(s, path, path, label);
    // The first detail page linked from the list, if there is one.
    const more = await s.page.locator(`main a[href^="${path}/"]`).first().getAttribute('href', { timeout: 2000 }).catch(() => null);
    if (more) await auditPage(s, `${path}/{id}`, more, label);
  } catch (err) {
    fail(`session ${label}`, err.message);
  } finally {
    await s.close();
  }
}

// ---- keyboard only ---------------------------------------------------------

// Presses Tab until `want` (run in the page on document.activeElement)
// says yes, at most `max` times.
async function tabTo(page, what, want, arg, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(want, arg)) return i + 1;
  }
  throw new Error(`${max} presses of Tab never reached ${what}`);
}
const isId = (id) => document.activeElement && document.activeElement.id === id;
const isLinkText = (text) => {
  const el = document.activeElement;
  return !!el && el.tagName === 'A' && el.textContent.trim() === text;
};
const isSubmit = (text) => {
  const el = document.activeElement;
  return !!el && el.tagName === 'BUTTON' && el.type === 'submit' && el.textContent.trim() === text && !!el.closest('main');
};

async function keyboardJourney() {
  const s = await openSession();
  const { page } = s;
  const a = account('ana@portavera.example');
  const title = `Keyboard-only purchase ${Date.now()}`;
  try {
    await check('keys sign in with the keyboard only', async () => {
      await page.goto(BASE + '/signin');
      await checkSkipLink(page);
      await tabTo(page, 'the email field', isId, 'f-email');
      await page.keyboard.type(a.email);
      await tabTo(page, 'the password field', isId, 'f-password', 3);
      await page.keyboard.type(a.password);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      const path = new URL(page.url()).pathname;
      if (path !== '/dashboard') throw new Error(`after signing in the browser is at ${path}, not /dashboard`);
    });
    await check('keys dashboard → "Register a purchase" → new purchase', async () => {
      if (new URL(page.url()).pathname !== '/dashboard') await page.goto(BASE + '/dashboard');
      await checkSkipLink(page);
      await page.goto(BASE + '/dashboard');
      const tabs = await tabTo(page, 'the "Register a purchase" link', isLinkText, 'Register a purchase');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      if (new URL(page.url()).pathname !== '/purchases/new') throw new Error(`Enter on the link went to ${page.url()}`);
      await tabTo(page, 'the title field', isId, 'f-title');
      await page.keyboard.type(title);
      await tabTo(page, 'the sector list', isId, 'f-sector', 10);
      // On a closed <select>, the arrow keys change the choice directly.
      await page.keyboard.press('ArrowDown');
      const sector = await page.evaluate(() => document.getElementById('f-sector').value);
      if (!sector) throw new Error('ArrowDown on the sector list chose nothing');
      await tabTo(page, 'the Save button', isSubmit, 'Save', 120);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      const url = new URL(page.url());
      if (!/^\/purchases\/\d+$/.test(url.pathname)) {
        const errs = await page.locator('.errsummary').innerText().catch(() => '');
        throw new Error(`saving went to ${url.pathname}${url.search} ${errs}`);
      }
      const h1 = (await page.locator('main h1').innerText()).trim();
      if (h1 !== title) throw new Error(`the new purchase page's heading is "${h1}", not "${title}"`);
      return `(${tabs} Tabs to the link; sector "${sector}"; now at ${url.pathname})`;
    });
  } finally {
    await s.close();
  }
}

// ---- screenshots -------------------------------------------------------------

async function screenshots(purchasePath) {
  mkdirSync(OUT, { recursive: true });
  for (const [w, h] of [[1280, 900], [390, 844]]) {
    const s = await openSession({ width: w, height: h });
    try {
      await signIn(s.page, 'ana@portavera.example');
      const shots = [['dashboard', '/dashboard'], ['purchases', '/purchases']];
      if (purchasePath) shots.push(['purchase', purchasePath]);
      shots.push(['new-with-errors', formWithErrors]);
      for (const [name, path] of shots) {
        await check(`shot ${name} at ${w}px`, async () => {
          if (typeof path === 'function') await path(s.page);
          else await s.page.goto(BASE + path);
          const file = join(OUT, `${name}-${w}.png`);
          await s.page.screenshot({ path: file, fullPage: true });
          // At phone width the full page is too tall to judge by eye, so
          // keep what the first screen shows as well.
          if (w < 600) await s.page.screenshot({ path: join(OUT, `${name}-${w}-top.png`) });
          // A page wider than the window scrolls sideways: at phone width
          // that is a reflow problem (WCAG 1.4.10) for a person to look at.
          const over = await s.page.evaluate(() => {
            const vw = document.documentElement.clientWidth;
            const sw = document.documentElement.scrollWidth;
            const wide = [];
            if (sw > vw) {
              for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > vw + 1 && r.width > 0) {
                  const id = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
                  wide.push(`${id} (right edge ${Math.round(r.right)}px)`);
                  if (wide.length >= 5) break;
                }
              }
            }
            return { vw, sw, wide };
          });
          if (over.sw > over.vw) {
            warn(`layout ${name} at ${w}px`, `page is ${over.sw}px wide in a ${over.vw}px window; widest: ${over.wide.join(', ')}`);
          }
          return `→ ${file}`;
        });
      }
    } catch (err) {
      fail(`screenshots at ${w}px`, err.message);
    } finally {
      await s.close();
    }
  }
}

// ---- main ----------------------------------------------------------------

const started = Date.now();
try {
  console.log(`e2e: ${BASE} with ${CHROMIUM}; axe-core ${JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version}, tags ${AXE_TAGS.join(' ')}`);
  await axeSelfTest();
  const pp = await auditMember('ana@portavera.example', 'officer', null, true);
  await auditMember(null, 'signed-out', pp);
  await auditMember('bruno@nhri.example', 'oversight', pp);
  await auditAdmin('admin@portavera.example', 'admin', '/admin/users');
  await auditAdmin('operator@buyright.example', 'operator', '/admin/orgs');
  await keyboardJourney();
  await screenshots(pp);
} catch (err) {
  fail('e2e run', err.stack || String(err));
}

const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log('');
console.log(`e2e summary (${secs}s): ${passed} passed, ${failed} failed, ${warnings.length} warning(s)`);
for (const f of failures) console.log(`  failed: ${f.split('\n')[0]}`);
for (const w of warnings) console.log(`  warning: ${w}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
