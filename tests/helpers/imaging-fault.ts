import { ImagingError, type ImagingFault } from '../../src/imaging/imaging-errors';

/** The fault an imaging call is refused with; fails the test when it resolves. */
export async function faultOf(promise: Promise<unknown>): Promise<ImagingFault> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImagingError) return error.fault;
    throw error;
  }
  throw new Error('expected a refusal');
}
