import type request from 'supertest';

// superagent hands a parser the raw Node response stream.
type Parser = Extract<Parameters<request.Test['parse']>[0], (res: never, callback: never) => void>;

/** Collects a response body as bytes, whatever its content type. */
export const binaryParser: Parser = (res, callback) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** Collects the body as text; `onText` sees it grow (a stream's first event, say). */
export const textParser =
  (onText?: (text: string) => void): Parser =>
  (res, callback) => {
    const stream = res as unknown as NodeJS.ReadableStream;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      onText?.(text);
    });
    stream.on('end', () => callback(null, text));
  };

/** The events of a server-sent event stream's text, in order. */
export function sseEvents(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}
