import type { FileStorage } from '../../src/lib/storage';
import { FinalCompositeModel } from '../../src/models';
import { solidImage } from '../fixtures/images';

/** A stored composite image plus its FinalComposite document. */
export async function createComposite(
  storage: FileStorage,
  userId: string,
  overrides: Record<string, unknown> = {},
) {
  const file = await storage.save('composites', 'jpg', await solidImage(60, 90, '#336699'));
  return FinalCompositeModel.create({
    sessionId: '0123456789abcdef01234567',
    userId,
    templateId: 'ai-generated-1',
    compositeUrl: storage.publicUrl(file.key),
    compositeKey: file.key,
    metadata: { width: 60, height: 90, fileSize: file.size, format: 'jpeg', photosUsed: 4 },
    ...overrides,
  });
}
