/**
 * Typed domain errors. Each has a stable `name` that the workflow (Catch on the error name)
 * and the API (status mapping) rely on: never rename one.
 */

export abstract class DomainError extends Error {
  abstract override readonly name: string;
}

/** A lifecycle event or action that does not fit the complaint's current state (API: 409). */
export class EventNotAllowedError extends DomainError {
  override readonly name = 'EventNotAllowedError';
  constructor(
    message: string,
    /** What the complaint waits for now: lifecycle event types or actions. */
    readonly expected: readonly string[],
  ) {
    super(message);
  }
}

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A well-formed event whose content breaks a rule (e.g. H-13: complex complaint without followUpOwner). API: 400. */
export class InvalidEventError extends DomainError {
  override readonly name = 'InvalidEventError';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(message);
  }
}

export class ComplaintNotFoundError extends DomainError {
  override readonly name = 'ComplaintNotFoundError';
  constructor(readonly complaintId: string) {
    super(`complaint ${complaintId} not found`);
  }
}

/** The SLA policy (or a carrier's override) is invalid; `issues` name the field paths. */
export class SlaPolicyError extends DomainError {
  override readonly name = 'SlaPolicyError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid SLA policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** A duration string or time zone that cannot be used. */
export class InvalidDurationError extends DomainError {
  override readonly name = 'InvalidDurationError';
}

/** An escalation acknowledgment that names no escalation on the complaint. */
export class EscalationNotFoundError extends DomainError {
  override readonly name = 'EscalationNotFoundError';
  constructor(
    readonly clockId: string,
    readonly level: number,
  ) {
    super(`no escalation level ${level} on clock ${clockId}`);
  }
}
