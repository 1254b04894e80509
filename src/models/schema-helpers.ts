import mongoose, { Schema } from 'mongoose';
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN } from './enums';

export const wholeNumber = {
  validator: (value: unknown) => value === null || value === undefined || Number.isInteger(value),
  message: '{PATH} must be a whole number',
};

/** A required e-mail address, stored lower-case and trimmed. */
export const emailPath = {
  type: String,
  required: true as const,
  lowercase: true,
  trim: true,
  maxlength: EMAIL_MAX_LENGTH,
  match: [EMAIL_PATTERN, 'email is not a valid e-mail address'] as [RegExp, string],
};

/** A stored slot as reads return it (lean documents leave defaults possibly null). */
export interface StoredLayoutSlot {
  x: number;
  y: number;
  width: number;
  height: number;
  borderRadius?: number | null;
  rotation?: number | null;
}

export type LayoutSlot = Required<{
  [K in keyof StoredLayoutSlot]: NonNullable<StoredLayoutSlot[K]>;
}>;

/** A stored slot with its defaults filled in (no rotation, square corners). */
export function withSlotDefaults(slot: StoredLayoutSlot): LayoutSlot {
  return {
    x: slot.x,
    y: slot.y,
    width: slot.width,
    height: slot.height,
    borderRadius: slot.borderRadius ?? 0,
    rotation: slot.rotation ?? 0,
  };
}

/** The image and slot fields every frame kind has, as lean reads return them. */
export interface StoredFrameImage {
  thumbnail?: string | null;
  frameUrl: string;
  frameCount: number;
  layoutPositions: StoredLayoutSlot[];
  canvasWidth?: number | null;
  canvasHeight?: number | null;
}

/** The image and slot fields of a frame of any kind, as the client reads them. */
export function frameImageAndSlots(frame: StoredFrameImage) {
  return {
    thumbnail: frame.thumbnail || frame.frameUrl,
    frameUrl: frame.frameUrl,
    frameCount: frame.frameCount,
    layoutPositions: frame.layoutPositions.map(withSlotDefaults),
    canvasWidth: frame.canvasWidth ?? null,
    canvasHeight: frame.canvasHeight ?? null,
  };
}

/** One photo slot in frame pixels; rotation in degrees. */
export const layoutPositionSchema = new Schema(
  {
    x: { type: Number, required: true, min: 0 },
    y: { type: Number, required: true, min: 0 },
    width: { type: Number, required: true, validate: positive('width') },
    height: { type: Number, required: true, validate: positive('height') },
    borderRadius: { type: Number, default: 0, min: 0 },
    rotation: { type: Number, default: 0, min: -360, max: 360 },
  },
  { _id: false, strict: true },
);

/**
 * The slot paths every frame kind has: how many photos (a whole number in the kind's range), where
 * each goes, and the frame image's pixel size (services check that every slot lies inside it).
 * Pair with addSlotCountRule.
 */
export function frameSlotPaths(range: { readonly min: number; readonly max: number }) {
  return {
    frameCount: {
      type: Number,
      required: true as const,
      min: range.min,
      max: range.max,
      validate: wholeNumber,
    },
    layoutPositions: { type: [layoutPositionSchema], required: true as const },
    canvasWidth: { type: Number, min: 1, validate: wholeNumber },
    canvasHeight: { type: Number, min: 1, validate: wholeNumber },
  };
}

function positive(path: string) {
  return { validator: (value: number) => value > 0, message: `${path} must be greater than 0` };
}

/** Builds toJSON options that drop `__v` and the given paths even when a query selected them. */
export function jsonWithout(hidden: readonly string[] = []) {
  return {
    versionKey: false,
    transform: (_doc: unknown, ret: Record<string, unknown>) => {
      for (const path of hidden) delete ret[path];
      return ret;
    },
  };
}

const SLOT_PATHS = ['frameCount', 'layoutPositions'] as const;
const SLOT_MESSAGE = 'layoutPositions must have exactly frameCount entries';

/**
 * Enforces `layoutPositions.length === frameCount` on documents and on update queries. An update
 * must set both paths together (the server cannot see the stored half without a read), and the
 * array operators that change the length are refused.
 */
export function addSlotCountRule(schema: Schema): void {
  schema.path('layoutPositions').validate({
    validator: function (this: unknown, positions: unknown) {
      if (!(this instanceof mongoose.Document)) return true;
      // A frame still being processed may wait for its slots to be found in it (the count, if
      // any, is the one the client expects).
      if (this.get('processing') === true && Array.isArray(positions) && positions.length === 0)
        return true;
      return Array.isArray(positions) && positions.length === this.get('frameCount');
    },
    message: SLOT_MESSAGE,
  });

  schema.pre(
    ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'],
    { document: false, query: true },
    function () {
      const problem = slotUpdateProblem(this.getUpdate());
      if (problem) throw slotValidationError(problem);
    },
  );
}

function slotUpdateProblem(update: unknown): string | null {
  if (!isRecord(update)) return null;
  const assigned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(update)) {
    if (!key.startsWith('$')) {
      assigned[key] = value;
    } else if (isRecord(value)) {
      for (const path of SLOT_PATHS) {
        if (!(path in value)) continue;
        if (key !== '$set' && key !== '$setOnInsert')
          return `${key} on ${path} is not allowed; set frameCount and layoutPositions together`;
        assigned[path] = value[path];
      }
    }
  }
  const hasCount = 'frameCount' in assigned;
  const hasPositions = 'layoutPositions' in assigned;
  if (!hasCount && !hasPositions) return null;
  if (hasCount !== hasPositions) return 'frameCount and layoutPositions must be updated together';
  const positions = assigned.layoutPositions;
  return Array.isArray(positions) && positions.length === Number(assigned.frameCount)
    ? null
    : SLOT_MESSAGE;
}

function slotValidationError(message: string): mongoose.Error.ValidationError {
  const error = new mongoose.Error.ValidationError();
  error.addError(
    'layoutPositions',
    new mongoose.Error.ValidatorError({ path: 'layoutPositions', message }),
  );
  return error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
