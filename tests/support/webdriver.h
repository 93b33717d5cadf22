/*
 * A tiny W3C WebDriver client for the end-to-end tests of the web pages (test support): it runs
 * chromedriver as a child process, opens one session of headless Chromium and drives it over HTTP
 * (libcurl, through http_client.h) with JSON bodies (jansson). Enough to open a page, read text,
 * count elements, type into fields and click buttons like a person would.
 *
 * Nothing here fails a cmocka test by itself: every call returns an error value and keeps a
 * message (webdriver_error), so the same calls work in setups, teardowns and helper programs.
 * Every HTTP exchange gives up after 20 seconds, and chromedriver's own page load and script
 * timeouts are shorter, so a hung page ends as an error rather than as a hung test.
 *
 * Chromium never outlives the test binary: chromedriver runs in its own process group with
 * PR_SET_PDEATHSIG (SIGKILL) and talks to Chromium over a pipe (--remote-debugging-pipe), so when
 * the test dies the kernel kills chromedriver and Chromium sees its pipe close and exits;
 * webdriver_stop kills the whole group. The death signal follows the thread that called
 * webdriver_start, so call it from the thread that lives as long as the session (the main one).
 * A driver's profile and log live in /tmp/oficina-webdriver-PID-XXXXXX; webdriver_stop removes
 * them, and the next webdriver_start removes those whose test binary died before it could.
 */
#ifndef OFICINA_TESTS_SUPPORT_WEBDRIVER_H
#define OFICINA_TESTS_SUPPORT_WEBDRIVER_H

struct webdriver;

/*
 * Starts chromedriver (/usr/bin/chromedriver) on a free 127.0.0.1 port, waits up to 15 seconds for
 * GET /status to say it is ready, and creates a session: headless /usr/bin/chromium with a 390x844
 * window (a phone) and a throw-away profile under /tmp. Returns the driver, which the caller
 * releases with webdriver_stop, or NULL with the reason (and chromedriver's log) on stderr.
 */
struct webdriver *webdriver_start(void);

/*
 * Ends the session (Chromium quits), stops chromedriver and waits for it, kills whatever is left
 * of its process group, removes the profile and frees wd. NULL is a no-op.
 */
void webdriver_stop(struct webdriver *wd);

/*
 * Navigates to url and waits until the page has loaded (the "normal" page load strategy: the
 * load event). 0, or -1 (see webdriver_error).
 */
int webdriver_open(struct webdriver *wd, const char *url);

/* The URL of the current page (malloc'd, the caller frees it), or NULL on error. */
char *webdriver_url(struct webdriver *wd);

/*
 * The rendered text of the first element matching the CSS selector css, as a person sees it ("" for
 * a hidden element), malloc'd (the caller frees it). NULL when no element matches (quietly) or on
 * error (printed to stderr).
 */
char *webdriver_text(struct webdriver *wd, const char *css);

/*
 * Clicks the first element matching css (scrolled into view, at its centre, as a mouse would).
 * When the click submits a form or follows a link, it returns once the new page has loaded, so
 * the next call sees the new page. 0, or -1 when nothing matches, something covers the element
 * or on error.
 */
int webdriver_click(struct webdriver *wd, const char *css);

/* Types text into the first element matching css (after what it holds). 0, or -1. */
int webdriver_type(struct webdriver *wd, const char *css, const char *text);

/* The number of elements matching css (0 or more), or -1 on error. */
int webdriver_count(struct webdriver *wd, const char *css);

/*
 * Waits up to timeout_ms for an element matching css to exist, for what a page's script adds after
 * it has loaded. 0 once one does, -1 on timeout or error.
 */
int webdriver_wait(struct webdriver *wd, const char *css, long timeout_ms);

/* The page source as the browser now holds it (malloc'd, the caller frees it), or NULL. */
char *webdriver_source(struct webdriver *wd);

/*
 * The browser console's errors (console.error calls, uncaught exceptions, failed loads) logged
 * since the previous call or since the session started, one per line, malloc'd (the caller frees
 * it): "" when there were none, NULL on error.
 */
char *webdriver_console_errors(struct webdriver *wd);

/*
 * Why the last call failed ("" when it succeeded), for a test's failure message. Owned by wd,
 * valid until the next call.
 */
const char *webdriver_error(const struct webdriver *wd);

#endif
