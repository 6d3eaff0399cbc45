// Attribute keys the event spans carry.
//
// The CloudEvents keys are OpenTelemetry semantic conventions that are still "incubating". Upstream
// asks libraries not to import `@opentelemetry/semantic-conventions/incubating` at run time (it may
// break in a minor release, and it is a 16,000-line module) but to copy the definitions; the copies
// below are checked against that module by spec/trace/attributes.spec.ts.

/** cloudevents.event_id (incubating semconv). */
export const ATTR_CLOUDEVENTS_EVENT_ID = "cloudevents.event_id";
/** cloudevents.event_source (incubating semconv). */
export const ATTR_CLOUDEVENTS_EVENT_SOURCE = "cloudevents.event_source";
/** cloudevents.event_type (incubating semconv). */
export const ATTR_CLOUDEVENTS_EVENT_TYPE = "cloudevents.event_type";
/** cloudevents.event_subject (incubating semconv). */
export const ATTR_CLOUDEVENTS_EVENT_SUBJECT = "cloudevents.event_subject";

export const ATTR_QUANTM_EVENT_ID = "quantm.event.id";
export const ATTR_QUANTM_EVENT_VERSION = "quantm.event.version";
export const ATTR_QUANTM_CONTEXT_HOOK = "quantm.context.hook";
export const ATTR_QUANTM_CONTEXT_SCOPE = "quantm.context.scope";
export const ATTR_QUANTM_CONTEXT_ACTION = "quantm.context.action";
export const ATTR_QUANTM_CONTEXT_SOURCE = "quantm.context.source";
export const ATTR_QUANTM_CONTEXT_PARENT_ID = "quantm.context.parent_id";
export const ATTR_QUANTM_CONTEXT_ROOT_ID = "quantm.context.root_id";
export const ATTR_QUANTM_SUBJECT_ID = "quantm.subject.id";
export const ATTR_QUANTM_SUBJECT_NAME = "quantm.subject.name";
export const ATTR_QUANTM_SUBJECT_TEAM_ID = "quantm.subject.team_id";
export const ATTR_QUANTM_SUBJECT_USER_ID = "quantm.subject.user_id";
export const ATTR_QUANTM_SUBJECT_ORG_ID = "quantm.subject.org_id";
/** Prefix of the payload keys exported by an allow-list or a redaction function. */
export const QUANTM_PAYLOAD_PREFIX = "quantm.payload.";

/** On a link: why the event span points at that span. */
export const ATTR_QUANTM_LINK_RELATION = "quantm.link.relation";
/** The parent event's span (DESIGN §4 R4). */
export const LINK_RELATION_PARENT = "parent";
/** The span that was active when the event was recorded or handled (R3). */
export const LINK_RELATION_AMBIENT = "ambient";
