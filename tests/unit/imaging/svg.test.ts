import { ImagingError } from '../../../src/imaging/imaging-errors';
import { looksLikeSvg, rasterizeSvg, sanitizeSvg } from '../../../src/imaging/svg';
import { pixelAt } from '../../fixtures/images';
import { SAFE_SVG_WITH_METADATA, SVG_ATTACKS } from '../../fixtures/svg-attacks';
import sharp from 'sharp';

function refusal(svg: string): ImagingError {
  try {
    sanitizeSvg(svg);
  } catch (error) {
    if (error instanceof ImagingError) return error;
    throw error;
  }
  throw new Error('sanitizeSvg accepted the input');
}

describe('sanitizeSvg', () => {
  it.each(Object.entries(SVG_ATTACKS))(
    'refuses the %s attack with an ImagingError',
    (_name, svg) => {
      expect(refusal(svg)).toBeInstanceOf(ImagingError);
    },
  );

  it('lists every unsafe construct it found in the details', () => {
    const error = refusal(
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onclick="x()"><script/><foreignObject/></svg>`,
    );
    expect(error.problems?.map((d) => d.message)).toEqual([
      expect.stringContaining('onclick'),
      expect.stringContaining('script'),
      expect.stringContaining('foreignObject'),
    ]);
  });

  it('drops comments and editor metadata but keeps the drawing and internal references', () => {
    const { svg, width, height } = sanitizeSvg(Buffer.from(SAFE_SVG_WITH_METADATA));
    expect({ width, height }).toEqual({ width: 300, height: 200 });
    expect(svg).not.toMatch(/inkscape|metadata|<!--|rdf/i);
    expect(svg).toContain('fill="url(#g)"');
    expect(svg).toContain('xlink:href="#g"');
    expect(svg).toMatch(/^<svg[^>]* width="300"/);
    expect(svg).toMatch(/^<svg[^>]* height="200"/);
  });

  it('accepts inline raster images as data URLs', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const { svg } = sanitizeSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"><image href="${png}" width="5" height="5"/></svg>`,
    );
    expect(svg).toContain(png);
  });

  it('derives a missing height from the viewBox aspect ratio', () => {
    expect(
      sanitizeSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="600" viewBox="0 0 300 900"/>`),
    ).toMatchObject({ width: 600, height: 1800 });
  });

  it.each([
    ['no size at all', `<svg xmlns="http://www.w3.org/2000/svg"/>`],
    ['percent sizes', `<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"/>`],
    ['an absurd size', `<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="10"/>`],
    ['malformed XML', `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><g></svg>`],
  ])('answers 400 for %s', (_name, svg) => {
    expect(refusal(svg).fault).toBe('invalid');
  });

  it('answers 415 when the root element is not an svg', () => {
    expect(refusal(`<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`).fault).toBe(
      'unsupported',
    );
  });
});

describe('looksLikeSvg', () => {
  it('recognises SVG documents with or without an XML declaration', () => {
    expect(looksLikeSvg(Buffer.from(SAFE_SVG_WITH_METADATA))).toBe(true);
    expect(looksLikeSvg(Buffer.from('<svg width="1" height="1"/>'))).toBe(true);
    expect(looksLikeSvg(Buffer.from('<?php echo 1; ?>'))).toBe(false);
  });
});

describe('rasterizeSvg', () => {
  it('renders at the requested size with a transparent background', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect x="0" y="0" width="50" height="50" fill="#00ff00"/></svg>`;
    const png = await rasterizeSvg(svg, 400, 200);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 400, height: 200, hasAlpha: true });
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const alphaAt = (x: number, y: number) => data[(y * 400 + x) * 4 + 3];
    expect(alphaAt(100, 100)).toBe(255);
    expect(alphaAt(300, 100)).toBe(0);
    expect(await pixelAt(png, 100, 100)).toEqual([0, 255, 0]);
  });
});
