import { runPipeline } from '../engine';
import { CommandError, Doc, isDoc, notSupported, toCommandError } from '../errors';
import { cloneDoc } from '../values';
import { Command, collName, optDoc } from './context';
import { checkHint } from './select';

export const aggregate: Command = {
  scoped: true,
  fields: [
    'pipeline',
    'cursor',
    'explain',
    'allowDiskUse',
    'hint',
    'collation',
    'let',
    'bypassDocumentValidation',
  ],
  run(ctx) {
    if (ctx.cmd.explain) throw notSupported('aggregate.explain');
    const pipeline = ctx.cmd.pipeline;
    if (!Array.isArray(pipeline))
      throw new CommandError(14, "BSON field 'aggregate.pipeline' is missing or not an array");
    const cursorOpt = ctx.cmd.cursor;
    if (!isDoc(cursorOpt))
      throw new CommandError(
        9,
        "The 'cursor' option is required, except for aggregate with the explain argument",
      );
    for (const stage of pipeline) {
      if (isDoc(stage) && ('$out' in stage || '$merge' in stage))
        throw notSupported('$out/$merge stages');
    }
    const target = ctx.cmd.aggregate;
    const name = target === 1 ? undefined : collName(ctx);
    const state = name ? ctx.scope.read(ctx.db, name) : undefined;
    checkHint(state, ctx.cmd.hint);
    // $lookup stages later in the pipeline mutate what the resolver returns, so hand out copies.
    const resolver = (coll: string): Doc[] =>
      (ctx.scope.read(ctx.db, coll)?.all() ?? []).map(cloneDoc);
    let docs: Doc[];
    try {
      docs = runPipeline(state?.all() ?? [], pipeline, resolver, optDoc(ctx, 'let'));
    } catch (err) {
      throw toCommandError(err);
    }
    const batchSize = cursorOpt.batchSize === undefined ? undefined : Number(cursorOpt.batchSize);
    const ns = `${ctx.db}.${name ?? '$cmd.aggregate'}`;
    return { cursor: ctx.cursors.first(ns, docs, batchSize), ok: 1 };
  },
};
