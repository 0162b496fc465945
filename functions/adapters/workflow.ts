/** Workflow: the complaint's Step Functions execution (start, and answers to waiting milestones). */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { TaskAnswer, WorkflowCallbacks } from '../app/ports';
import { sfn } from './clients';

/** A token whose task has ended: the waiting state re-armed (or moved on) and will see the milestone itself. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

export class Workflow implements WorkflowCallbacks {
  private readonly client: SFNClient;
  constructor(
    private readonly stateMachineArn: string | undefined,
    client?: SFNClient,
  ) {
    this.client = client ?? sfn();
  }

  /**
   * Starts the complaint's execution, named by the complaint id. `already-exists`: a previous
   * request started it (names are unique per state machine), which is success for intake.
   */
  async start(complaintId: string): Promise<'started' | 'already-exists'> {
    if (!this.stateMachineArn) throw new Error('Workflow.start needs STATE_MACHINE_ARN');
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: complaintId,
          // Only the id: no personal data in execution history (H-42).
          input: JSON.stringify({ complaintId }),
        }),
      );
      return 'started';
    } catch (error) {
      if ((error as { name?: string }).name === 'ExecutionAlreadyExists') return 'already-exists';
      throw error;
    }
  }

  async succeed(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<TaskAnswer> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'sent';
    } catch (error) {
      if (STALE_TOKEN_ERRORS.has((error as { name?: string }).name ?? '')) return 'stale';
      throw error;
    }
  }

  async fail(taskToken: string, error: string, cause: string): Promise<TaskAnswer> {
    try {
      await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
      return 'sent';
    } catch (e) {
      if (STALE_TOKEN_ERRORS.has((e as { name?: string }).name ?? '')) return 'stale';
      throw e;
    }
  }
}
