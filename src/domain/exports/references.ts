/** What kind of page a reference URL is, in OSV's words (CVE JSON 5 and CSAF use the same guess). */
export type OsvReferenceType = 'ADVISORY' | 'FIX' | 'REPORT' | 'PACKAGE' | 'WEB';

export function referenceType(url: string): OsvReferenceType {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'WEB';
  }
  const host = u.hostname.toLowerCase();
  const path = u.pathname;
  if (
    /\/security\/advisories\/GHSA-/i.test(path) ||
    host === 'nvd.nist.gov' ||
    host.endsWith('cve.org') ||
    host === 'osv.dev' ||
    (host === 'pkg.go.dev' && path.startsWith('/vuln/'))
  ) {
    return 'ADVISORY';
  }
  if (
    /\/(commit|commits|pull|merge_requests)\//.test(path) ||
    (host === 'go.dev' && path.startsWith('/cl/')) ||
    host === 'go-review.googlesource.com'
  )
    return 'FIX';
  if (/\/issues\//.test(path)) return 'REPORT';
  return 'WEB';
}
