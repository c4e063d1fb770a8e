/**
 * The size limits of a case's fields, each defined once: the domain's checks (fields.ts,
 * advisory-fields.ts, …) and the API's JSON Schemas (schema.ts) both read them, so a request the
 * schema lets through is never refused by the domain for its length, and the other way round.
 */

/** A case's title, a reporter's or credit's name, a reporter's company. */
export const TITLE_MAX = 200;
export const NAME_MAX = 200;
/** A reporter's contact: an e-mail address is at most 320 characters (RFC 3696). */
export const CONTACT_MAX = 320;
/** A project slug or playbook id. */
export const SLUG_MAX = 64;
/** GHSA / CVE ids as typed (the patterns are shorter; the limit only bounds the input). */
export const ADVISORY_ID_MAX = 64;
/** A CVSS vector as typed in a case edit. */
export const CVSS_INPUT_MAX = 256;
/** A CWE id such as CWE-1321. */
export const CWE_ID_MAX = 16;
/** CVSS vectors, and CWE ids, per case. */
export const SEVERITY_LIST_MAX = 8;
/** A version such as 1.33.4-rc.1, and a time as typed (2026-12-01 17:00 or an ISO instant). */
export const VERSION_MAX = 64;
export const TIME_INPUT_MAX = 64;
/** A minor release line such as 1.33. */
export const LINE_MAX = 32;
/** A git tag name; a commit hash as typed; tags checked in one release verification. */
export const TAG_MAX = 128;
export const COMMIT_MAX = 64;
export const VERIFIED_TAGS_MAX = 32;
/** Release lines in a plan, affected ranges on a case. */
export const RELEASE_LINES_MAX = 32;
export const AFFECTED_MAX = 32;
/** The advisory's text and its workarounds (markdown). */
export const DESCRIPTION_MAX = 20_000;
export const WORKAROUNDS_MAX = 10_000;
/** References and credits per case; a URL; a package's ecosystem and name. */
export const REFERENCES_MAX = 64;
export const CREDITS_MAX = 32;
export const URL_MAX = 2048;
export const ECOSYSTEM_MAX = 64;
export const PACKAGE_NAME_MAX = 512;
/** GitHub logins are at most 39 characters. */
export const GITHUB_LOGIN_MAX = 39;
/** A project's embargo note (the text at the bottom of the embargoed mail); its holidays; its repository as owner/name or URL. */
export const EMBARGO_NOTE_MAX = 5000;
export const HOLIDAYS_MAX = 400;
export const REPOSITORY_MAX = 200;
/** A reason given for skipping or reopening a step, or closing a report without an advisory. */
export const REASON_MAX = 2000;
