import { Types } from 'mongoose';
import {
  applyMongooseDefaults,
  TEMPLATE_CATEGORIES,
  TemplateModel,
  UserGeneratedFrameModel,
  UserSubmittedFrameModel,
} from '../../../src/models';
import {
  buildTemplate,
  buildUserGeneratedFrame,
  buildUserSubmittedFrame,
  layoutSlots,
} from '../../factories/model.factory';
import { useTestDatabase } from '../../helpers/database';
import { findIndex, invalidPaths, writeErrorCode } from './model-assertions';

applyMongooseDefaults();
useTestDatabase('models_frames');

describe('Template model', () => {
  it('when a valid template is built, then it passes with public, active, non-AI defaults', async () => {
    const template = buildTemplate();
    expect(await invalidPaths(template)).toEqual([]);
    expect(template).toMatchObject({
      visibility: 'public',
      isActive: true,
      isAIGenerated: false,
      usageCount: 0,
    });
    expect(template.layoutPositions[0]).toMatchObject({ borderRadius: 0, rotation: 0 });
  });

  it('when name, thumbnail, frameUrl and frameCount are missing, then each is required', async () => {
    const template = buildTemplate({
      name: undefined,
      thumbnail: undefined,
      frameUrl: undefined,
      frameCount: undefined,
    });
    expect(await invalidPaths(template)).toEqual(
      expect.arrayContaining(['frameCount', 'frameUrl', 'name', 'thumbnail']),
    );
  });

  it.each([1, 9])('when frameCount is %i (inside 1–9), then it is accepted', async (frameCount) => {
    expect(
      await invalidPaths(buildTemplate({ frameCount, layoutPositions: layoutSlots(frameCount) })),
    ).toEqual([]);
  });

  it.each([0, 10, 2.5])('when frameCount is %p, then it is rejected', async (frameCount) => {
    const paths = await invalidPaths(
      buildTemplate({ frameCount, layoutPositions: layoutSlots(Math.ceil(frameCount)) }),
    );
    expect(paths).toContain('frameCount');
  });

  it('when layoutPositions has fewer entries than frameCount, then it is rejected', async () => {
    expect(
      await invalidPaths(buildTemplate({ frameCount: 4, layoutPositions: layoutSlots(3) })),
    ).toEqual(['layoutPositions']);
  });

  it('when layoutPositions has more entries than frameCount, then it is rejected', async () => {
    expect(
      await invalidPaths(buildTemplate({ frameCount: 2, layoutPositions: layoutSlots(3) })),
    ).toEqual(['layoutPositions']);
  });

  it.each(['Graduation', 'AI Generated', 'General'])(
    'when the category is %p, then it is accepted',
    async (category) => {
      expect(await invalidPaths(buildTemplate({ category }))).toEqual([]);
    },
  );

  it('when the category is not in the list, then it is rejected', async () => {
    expect(TEMPLATE_CATEGORIES).toContain('Graduation');
    expect(await invalidPaths(buildTemplate({ category: 'Halloween' }))).toEqual(['category']);
  });

  it('when visibility is neither public nor private, then it is rejected', async () => {
    expect(await invalidPaths(buildTemplate({ visibility: 'friends' }))).toEqual(['visibility']);
  });

  it('when a slot has a negative x, zero width, or rotation beyond ±360, then those paths are rejected', async () => {
    const [first, second, third] = layoutSlots(3);
    const template = buildTemplate({
      frameCount: 3,
      layoutPositions: [
        { ...first, x: -1 },
        { ...second, width: 0 },
        { ...third, rotation: 361 },
      ],
    });
    expect(await invalidPaths(template)).toEqual(
      expect.arrayContaining([
        'layoutPositions.0.x',
        'layoutPositions.1.width',
        'layoutPositions.2.rotation',
      ]),
    );
  });

  it('when a slot is rotated by -360 with a border radius, then it is accepted', async () => {
    const [slot] = layoutSlots(1);
    const template = buildTemplate({
      frameCount: 1,
      layoutPositions: [{ ...slot, rotation: -360, borderRadius: 12 }],
    });
    expect(await invalidPaths(template)).toEqual([]);
  });

  it('when a template is saved, then createdBy is an ObjectId and aiFrameSpec keeps any shape', async () => {
    const creator = new Types.ObjectId();
    const saved = await buildTemplate({
      createdBy: creator.toHexString(),
      isAIGenerated: true,
      category: 'AI Generated',
      visibility: 'private',
      aiFrameSpec: { layout: 'grid', colors: ['#FF0000'], nested: { gradient: true } },
      tags: ['AI Generated', 'grid'],
    }).save();
    const raw = await TemplateModel.collection.findOne({ _id: saved._id });
    expect(raw?.createdBy).toBeInstanceOf(Types.ObjectId);
    expect(raw?.aiFrameSpec).toEqual({
      layout: 'grid',
      colors: ['#FF0000'],
      nested: { gradient: true },
    });
    expect(saved.toJSON()).not.toHaveProperty('__v');
  });

  it('when an update changes frameCount without layoutPositions, then it is refused', async () => {
    const template = await buildTemplate({ frameCount: 3 }).save();
    await expect(
      TemplateModel.updateOne({ _id: template._id }, { $set: { frameCount: 4 } }),
    ).rejects.toThrow(/updated together/);
    await expect(
      TemplateModel.findByIdAndUpdate(template._id, {
        frameCount: 2,
        layoutPositions: layoutSlots(3),
      }),
    ).rejects.toThrow(/exactly frameCount/);
    expect((await TemplateModel.findById(template._id).lean())?.frameCount).toBe(3);
  });

  it('when an update pushes a slot, then it is refused', async () => {
    const template = await buildTemplate({ frameCount: 3 }).save();
    const [extra] = layoutSlots(1);
    await expect(
      TemplateModel.updateOne({ _id: template._id }, { $push: { layoutPositions: extra } }),
    ).rejects.toThrow(/\$push/);
  });

  it('when an update sets frameCount and matching layoutPositions together, then it is applied', async () => {
    const template = await buildTemplate({ frameCount: 3 }).save();
    await TemplateModel.updateOne(
      { _id: template._id },
      { $set: { frameCount: 2, layoutPositions: layoutSlots(2) } },
    );
    const stored = await TemplateModel.findById(template._id).lean();
    expect(stored?.frameCount).toBe(2);
    expect(stored?.layoutPositions).toHaveLength(2);
  });

  it('when an update sets an unknown category, then the update validator rejects it', async () => {
    const template = await buildTemplate().save();
    await expect(
      TemplateModel.updateOne({ _id: template._id }, { $set: { category: 'Halloween' } }),
    ).rejects.toThrow(/category/);
  });

  it('when the database lists the indexes, then the gallery, creator and submission indexes exist', async () => {
    expect(
      await findIndex(TemplateModel, { isActive: 1, visibility: 1, category: 1, createdAt: -1 }),
    ).toBeDefined();
    expect(
      await findIndex(TemplateModel, { createdBy: 1, isAIGenerated: 1, createdAt: -1 }),
    ).toBeDefined();
    expect(await findIndex(TemplateModel, { sourceSubmissionId: 1 })).toMatchObject({
      unique: true,
      partialFilterExpression: { sourceSubmissionId: { $type: 'objectId' } },
    });
  });

  it('when two templates come from the same submission, then the second fails with 11000', async () => {
    const submissionId = new Types.ObjectId();
    await buildTemplate({ sourceSubmissionId: submissionId }).save();
    expect(await writeErrorCode(buildTemplate({ sourceSubmissionId: submissionId }).save())).toBe(
      11000,
    );
    await expect(buildTemplate().save()).resolves.toBeDefined();
    await expect(buildTemplate().save()).resolves.toBeDefined();
  });
});

describe('UserGeneratedFrame model', () => {
  it('when a valid frame is built, then it passes with active, not-favourite defaults', async () => {
    const frame = buildUserGeneratedFrame();
    expect(await invalidPaths(frame)).toEqual([]);
    expect(frame).toMatchObject({
      isActive: true,
      isFavorite: false,
      usageCount: 0,
      category: 'AI Generated',
    });
  });

  it.each([2, 6])('when frameCount is %i (inside 2–6), then it is accepted', async (frameCount) => {
    expect(
      await invalidPaths(
        buildUserGeneratedFrame({ frameCount, layoutPositions: layoutSlots(frameCount) }),
      ),
    ).toEqual([]);
  });

  it.each([1, 7])(
    'when frameCount is %i (outside 2–6), then it is rejected',
    async (frameCount) => {
      const paths = await invalidPaths(
        buildUserGeneratedFrame({ frameCount, layoutPositions: layoutSlots(frameCount) }),
      );
      expect(paths).toEqual(['frameCount']);
    },
  );

  it('when layoutPositions does not match frameCount, then it is rejected', async () => {
    expect(
      await invalidPaths(
        buildUserGeneratedFrame({ frameCount: 4, layoutPositions: layoutSlots(2) }),
      ),
    ).toEqual(['layoutPositions']);
  });

  it('when the name is shorter than 3 characters, then it is rejected', async () => {
    expect(await invalidPaths(buildUserGeneratedFrame({ name: 'ab' }))).toEqual(['name']);
  });

  it('when the same user saves two live frames with one name, then the second fails with 11000', async () => {
    const userId = new Types.ObjectId().toHexString();
    await buildUserGeneratedFrame({ userId, name: 'Pesta Ulang Tahun' }).save();
    expect(
      await writeErrorCode(buildUserGeneratedFrame({ userId, name: 'Pesta Ulang Tahun' }).save()),
    ).toBe(11000);
  });

  it('when another user or a deactivated frame has the name, then the save succeeds', async () => {
    const userId = new Types.ObjectId().toHexString();
    await buildUserGeneratedFrame({ userId, name: 'Wisuda', isActive: false }).save();
    await expect(buildUserGeneratedFrame({ userId, name: 'Wisuda' }).save()).resolves.toBeDefined();
    await expect(buildUserGeneratedFrame({ name: 'Wisuda' }).save()).resolves.toBeDefined();
  });

  it('when the database lists the indexes, then the library index and the per-user unique name exist', async () => {
    expect(
      await findIndex(UserGeneratedFrameModel, { userId: 1, isActive: 1, createdAt: -1 }),
    ).toBeDefined();
    expect(await findIndex(UserGeneratedFrameModel, { userId: 1, name: 1 })).toMatchObject({
      unique: true,
      partialFilterExpression: { isActive: true },
    });
  });
});

describe('UserSubmittedFrame model', () => {
  it('when a valid submission is built, then it passes as pending and not premium', async () => {
    const submission = buildUserSubmittedFrame();
    expect(await invalidPaths(submission)).toEqual([]);
    expect(submission).toMatchObject({ status: 'pending', isPremium: false });
  });

  it.each([1, 9])('when frameCount is %i (inside 1–9), then it is accepted', async (frameCount) => {
    expect(
      await invalidPaths(
        buildUserSubmittedFrame({ frameCount, layoutPositions: layoutSlots(frameCount) }),
      ),
    ).toEqual([]);
  });

  it.each([0, 10])(
    'when frameCount is %i (outside 1–9), then it is rejected',
    async (frameCount) => {
      const paths = await invalidPaths(
        buildUserSubmittedFrame({ frameCount, layoutPositions: layoutSlots(frameCount) }),
      );
      expect(paths).toContain('frameCount');
    },
  );

  it('when layoutPositions does not match frameCount, then it is rejected', async () => {
    expect(
      await invalidPaths(
        buildUserSubmittedFrame({ frameCount: 2, layoutPositions: layoutSlots(1) }),
      ),
    ).toEqual(['layoutPositions']);
  });

  it('when layout, frameSpec and thumbnail are missing or layout is unknown, then they are rejected', async () => {
    expect(
      await invalidPaths(
        buildUserSubmittedFrame({ frameSpec: undefined, thumbnail: undefined, layout: 'diagonal' }),
      ),
    ).toEqual(['frameSpec', 'layout', 'thumbnail']);
  });

  it('when the status is not pending, approved or rejected, then it is rejected', async () => {
    expect(await invalidPaths(buildUserSubmittedFrame({ status: 'archived' }))).toEqual(['status']);
  });

  it('when approved, then approvedBy and the created template are stored as ObjectIds', async () => {
    const saved = await buildUserSubmittedFrame({
      status: 'approved',
      approvedBy: new Types.ObjectId(),
      approvedAt: new Date(),
      templateId: new Types.ObjectId(),
    }).save();
    const raw = await UserSubmittedFrameModel.collection.findOne({ _id: saved._id });
    expect(raw?.approvedBy).toBeInstanceOf(Types.ObjectId);
    expect(raw?.templateId).toBeInstanceOf(Types.ObjectId);
    expect(typeof raw?.userId).toBe('string');
  });

  it('when the database lists the indexes, then the moderation queue and per-user lists are indexed', async () => {
    expect(await findIndex(UserSubmittedFrameModel, { status: 1, createdAt: -1 })).toBeDefined();
    expect(await findIndex(UserSubmittedFrameModel, { userId: 1, createdAt: -1 })).toBeDefined();
  });
});
