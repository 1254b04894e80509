import { UnrecoverableError } from 'bullmq';
import mongoose from 'mongoose';
import type { JobContext } from '../job-context';
import type { JobPayloads } from '../queues';
import type { Processor } from '../registry';

/** The render use case, as the composition root hands it in (modules/compositing). */
export type RenderCompositeUseCase = (
  request: { sessionId: string; userId: string },
  context: JobContext,
) => Promise<unknown>;

/** The `render-composite` job: checks the payload, then runs the render use case. */
export function renderCompositeProcessor(
  render: RenderCompositeUseCase,
): Processor<'render-composite'> {
  return (payload: JobPayloads['render-composite'], context) => {
    if (!mongoose.isValidObjectId(payload.sessionId) || typeof payload.userId !== 'string') {
      throw new UnrecoverableError('render-composite: sessionId and userId are required');
    }
    return render({ sessionId: String(payload.sessionId), userId: payload.userId }, context);
  };
}
