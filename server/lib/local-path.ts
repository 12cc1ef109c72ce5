/**
 * The one "same-site path" check: a redirect target after sign-in, a link in a lesson. A path on this
 * site starts with one "/" and is not "//host" or "/\host" (other sites, to a browser). Browsers also
 * drop tabs and line breaks from a URL before reading it ("/\t/evil.example" becomes
 * "//evil.example") and read "\" as "/", so no control character and no backslash is allowed anywhere.
 * Control characters would also break a Location header (CR/LF: an exception, not a redirect).
 */
export function isSameSitePath(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !/[\u0000-\u001F\u007F-\u009F\\]/.test(value);
}
