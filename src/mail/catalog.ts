/**
 * The one list of mails Fleetyard sends: each template's name and the variables its text may use.
 * Code decides when a mail goes out, so only these names exist; an admin may change their text
 * (see templates.ts) but not add new ones. `templates/mail/README.md` documents the same list
 * for admins, and test/mail/templates.test.ts keeps the two, and the shipped files, in step.
 *
 * The variables are what the callers always pass (the cloud lifecycle, src/cloud/ and
 * src/reconcile/request-reconciler.ts; billing for credits-low): every request mail gets `user`,
 * `request`, `state` and `reason`, and each template some more. A caller may pass extra ones.
 */
export interface TemplateSpec {
  /** Variable name → what it holds (documentation; also what a template may use). */
  variables: Readonly<Record<string, string>>;
  /**
   * Variables whose values must not be shown again after sending (a generated password): the
   * API shows the mail with these replaced, and the stored text is scrubbed once it is sent.
   */
  secret: readonly string[];
}

const REQUEST_VARIABLES = {
  user: "the owner's login name",
  request: "the request's name",
  state: 'the state the request entered',
  reason: 'why it entered it',
} as const;
const WINDOW_VARIABLES = {
  startAt: 'when the requested time window starts (ISO 8601, UTC)',
  endAt: 'when it ends (ISO 8601, UTC)',
  ccuPerHour: 'what the request costs per hour, in CCU',
} as const;
const COMMENT = { comment: "the admin's or the system's comment; may be empty" } as const;

export const MAIL_TEMPLATES = {
  'request-approved': { variables: { ...REQUEST_VARIABLES, ...WINDOW_VARIABLES, ...COMMENT }, secret: [] },
  'request-denied': { variables: { ...REQUEST_VARIABLES, ...COMMENT }, secret: [] },
  'request-no-capacity': { variables: { ...REQUEST_VARIABLES, ...WINDOW_VARIABLES, ...COMMENT }, secret: [] },
  'request-active': {
    variables: {
      ...REQUEST_VARIABLES,
      login: 'the user name to log in with inside the appliances',
      addresses: "the appliances' addresses, separated by commas",
      access: 'one line per appliance with the ssh command that logs in to it',
      password: 'the generated password, or empty when the login is by SSH key',
      endAt: 'when the request ends (ISO 8601, UTC)',
    },
    secret: ['password'],
  },
  'request-failed': { variables: { ...REQUEST_VARIABLES, ...COMMENT }, secret: [] },
  'request-deprovisioned': { variables: { ...REQUEST_VARIABLES, ...COMMENT }, secret: [] },
  'email-verify': {
    variables: {
      user: "the user's login name",
      email: 'the new address, to which this mail goes',
      code: 'the code to enter to confirm the address',
      expiresAt: 'when the code stops working (ISO 8601, UTC)',
    },
    secret: ['code'],
  },
  'credits-low': {
    variables: {
      user: "the user's login name",
      balance: 'the credits left, with their unit',
      threshold: 'the level below which this mail is sent, with its unit',
    },
    secret: [],
  },
} as const satisfies Record<string, TemplateSpec>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export const MAIL_TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATES) as MailTemplateName[];

export function isMailTemplateName(name: string): name is MailTemplateName {
  return Object.hasOwn(MAIL_TEMPLATES, name);
}

/** The secret variable names of a template (empty for unknown names). */
export function secretVariables(name: string): readonly string[] {
  return isMailTemplateName(name) ? MAIL_TEMPLATES[name].secret : [];
}
