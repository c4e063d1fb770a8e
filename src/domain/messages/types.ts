/**
 * The mails of the checklist (steps 1, 6, 7, 10, 11 and the reporter's "thank you") as data: which
 * audience each goes to, whether it is embargoed, which sections it must have, and what a lint
 * finding about one looks like.
 */

export type MessageKind =
  | 'reporter-ack'
  | 'reporter-draft-created'
  | 'distributors-notice'
  | 'users-announcement'
  | 'distributors-followup'
  | 'reporter-published'
  | 'reporter-closed'
  | 'reporter-date-moved';

export type Audience = 'reporter' | 'distributors' | 'users';

export interface MessageKindSpec {
  kind: MessageKind;
  audience: Audience;
  /** What the mail is, in words ("the embargoed distributors notice"). */
  label: string;
  /**
   * Goes to a list while the embargo holds: no CVE/GHSA id (unless the playbook's embargoed mails
   * carry the CVE), the embargo note verbatim and last, the security tag.
   */
  embargoed: boolean;
  /** Headings that must be present with text under them, in this order in the templates. */
  sections: readonly string[];
  /** Carries the playbook's securityTag. */
  tagged: boolean;
  /** May only be sent once the advisory is published. */
  afterPublication: boolean;
}

export const DISTRIBUTORS_NOTICE_SECTIONS = [
  'Description',
  'Affected versions',
  'Known attack vectors',
  'Possible workarounds',
  'Next steps',
] as const;

export const USERS_ANNOUNCEMENT_SECTIONS = ['Description', 'Affected versions', 'Fixed versions', 'Workarounds', 'Credits'] as const;

const spec = (s: MessageKindSpec) => s;

export const MESSAGE_KINDS: Readonly<Record<MessageKind, MessageKindSpec>> = {
  'reporter-ack': spec({
    kind: 'reporter-ack',
    audience: 'reporter',
    label: 'the acknowledgement to the reporter',
    embargoed: false,
    sections: [],
    tagged: false,
    afterPublication: false,
  }),
  'reporter-draft-created': spec({
    kind: 'reporter-draft-created',
    audience: 'reporter',
    label: 'the "draft advisory created" mail to the reporter',
    embargoed: false,
    sections: [],
    tagged: false,
    afterPublication: false,
  }),
  'distributors-notice': spec({
    kind: 'distributors-notice',
    audience: 'distributors',
    label: 'the embargoed distributors notice',
    embargoed: true,
    sections: DISTRIBUTORS_NOTICE_SECTIONS,
    tagged: true,
    afterPublication: false,
  }),
  'users-announcement': spec({
    kind: 'users-announcement',
    audience: 'users',
    label: 'the public announcement to the users list',
    embargoed: false,
    sections: USERS_ANNOUNCEMENT_SECTIONS,
    tagged: false,
    afterPublication: true,
  }),
  'distributors-followup': spec({
    kind: 'distributors-followup',
    audience: 'distributors',
    label: 'the "releases are out" follow-up to the distributors list',
    embargoed: false,
    sections: [],
    tagged: true,
    afterPublication: true,
  }),
  'reporter-published': spec({
    kind: 'reporter-published',
    audience: 'reporter',
    label: 'the "published, thank you" mail to the reporter',
    embargoed: false,
    sections: [],
    tagged: false,
    afterPublication: true,
  }),
  'reporter-closed': spec({
    kind: 'reporter-closed',
    audience: 'reporter',
    label: 'the mail telling the reporter their report was closed without an advisory',
    embargoed: false,
    sections: [],
    tagged: false,
    afterPublication: false,
  }),
  'reporter-date-moved': spec({
    kind: 'reporter-date-moved',
    audience: 'reporter',
    label: 'the mail that tells the reporter the new disclosure date',
    embargoed: false,
    sections: [],
    tagged: false,
    afterPublication: false,
  }),
};

export const MESSAGE_KIND_IDS = Object.keys(MESSAGE_KINDS) as MessageKind[];

export function isMessageKind(value: string): value is MessageKind {
  return Object.hasOwn(MESSAGE_KINDS, value);
}

/** A template a project writes in its playbook: text with `{{placeholder}}` variables. */
export interface TemplateText {
  subject: string;
  body: string;
}

/** A rendered mail: what the composer shows and the outbox sends. */
export interface RenderedMessage {
  kind: MessageKind;
  audience: Audience;
  /** The configured addresses for the audience (empty when none is configured). */
  to: string[];
  subject: string;
  body: string;
}

export type FindingSeverity = 'error' | 'warning';

/** Where a finding sits: the subject line, the body, or the recipients (which have no line). */
export type FindingPart = 'subject' | 'body' | 'recipients';

export interface Finding {
  /** Stable rule id, e.g. "embargoed-id", "embargo-note-edited", "recipient-lookalike". */
  rule: string;
  severity: FindingSeverity;
  /** One sentence a person understands, saying what is wrong and what to do. */
  message: string;
  part: FindingPart;
  /** 1-based line within the part (the subject is line 1); 0 for recipients. */
  line: number;
  /** 1-based column (in UTF-16 code units, as editors count); 0 for recipients. */
  column: number;
}
