import {
  descriptionFrom,
  designFrame,
  type ChatFrameSpec,
} from '../../../src/modules/ai-frames/describe-frame';

interface Expected {
  frameCount: number;
  layout: ChatFrameSpec['layout'];
  /** Exact colours, or a check that says what the colour must be like. */
  backgroundColor?: string;
  borderColor?: string;
  gradient?: [string, string];
  solid?: true;
  theme?: string;
  style?: ChatFrameSpec['style'];
  borderThickness?: number;
  borderRadius?: number;
}

const PINK = '#EC407A';
const GOLD = '#D4AF37';
const WHITE = '#FFFFFF';
const BLACK = '#212121';
const BLUE = '#1E88E5';
const PURPLE = '#8E24AA';
const NAVY = '#1A237E';
const GREEN = '#43A047';
const RED = '#E53935';
const YELLOW = '#FDD835';
const SILVER = '#C0C0C0';
const TOSCA = '#1ABC9C';

// [description, expected]: half Indonesian, half English; (typo) marks misspellings.
const INDONESIAN: Array<[string, Expected]> = [
  ['frame ulang tahun 4 foto warna pink dan emas', { frameCount: 4, layout: 'grid', backgroundColor: PINK, borderColor: GOLD, theme: 'ulang tahun', style: 'confetti' }],
  ['bingkai pernikahan elegan 3 foto vertikal', { frameCount: 3, layout: 'vertical', gradient: ['#FFF8F0', '#F1DEC9'], borderColor: GOLD, theme: 'pernikahan' }],
  ['gradasi dari biru ke ungu, 3 foto strip', { frameCount: 3, layout: 'vertical', gradient: [BLUE, PURPLE], borderColor: WHITE }],
  ['empt foto kotak, latar hitam border putih (typo)', { frameCount: 4, layout: 'grid', backgroundColor: BLACK, borderColor: WHITE }],
  ['lebaran hijau emas dua foto menyamping', { frameCount: 2, layout: 'horizontal', backgroundColor: GREEN, borderColor: GOLD, theme: 'lebaran' }],
  ['bukan vertikal tapi horizontal, dua foto, biru muda', { frameCount: 2, layout: 'horizontal', backgroundColor: '#78B8EF', borderColor: WHITE }],
  ['tiga foto, tanpa warna hitam, tema natal', { frameCount: 3, layout: 'vertical', gradient: ['#B71C1C', '#1B5E20'], borderColor: '#F5D76E', theme: 'natal' }],
  ['ulang tahun ke-5 anak saya, 3 foto', { frameCount: 3, layout: 'vertical', gradient: ['#FF9A9E', '#FECF6A'], theme: 'ulang tahun' }],
  ['wisuda 2024 dengan 2 foto menyamping', { frameCount: 2, layout: 'horizontal', gradient: [NAVY, '#3949AB'], borderColor: GOLD, theme: 'wisuda' }],
  ['Bikin bingkai 3 foto, background kuning, border hitam tebal, sudut tajam', { frameCount: 3, layout: 'vertical', backgroundColor: YELLOW, borderColor: BLACK, borderThickness: 6, borderRadius: 0 }],
  ['frame kotak2 isi 4, warna ijo tosca', { frameCount: 4, layout: 'grid', backgroundColor: TOSCA }],
  ['bingkai wisuda biru dongker list emas 3 foto', { frameCount: 3, layout: 'vertical', backgroundColor: NAVY, borderColor: GOLD, theme: 'wisuda' }],
  ['bingkai memanjang empat pose, merah polos dengan garis tepi putih', { frameCount: 4, layout: 'vertical', backgroundColor: RED, borderColor: WHITE, solid: true }],
  ['frame pernikahn warna putih dan perak, 2x2 (typo)', { frameCount: 4, layout: 'grid', backgroundColor: WHITE, borderColor: SILVER, theme: 'pernikahan' }],
  ['bikin frame verikal 3 foto tema pantai (typo)', { frameCount: 3, layout: 'vertical', gradient: ['#4FC3F7', '#FFE0B2'], theme: 'pantai', style: 'polaroid' }],
  ['latar belakang #ff7f50 dengan garis #333, 2 foto', { frameCount: 2, layout: 'vertical', backgroundColor: '#FF7F50', borderColor: '#333333' }],
  ['kolase 6 foto nuansa retro', { frameCount: 4, layout: 'grid', theme: 'retro', style: 'film' }],
]; // prettier-ignore

const ENGLISH: Array<[string, Expected]> = [
  ['Graduation frame with navy background and gold border, 2 photos side by side', { frameCount: 2, layout: 'horizontal', backgroundColor: NAVY, borderColor: GOLD, theme: 'graduation' }],
  ['frame for my birthday party, fuor photos in a grid, blue to purple gradient (typo)', { frameCount: 4, layout: 'grid', gradient: [BLUE, PURPLE], theme: 'birthday', style: 'confetti' }],
  ['four photos grid, pastel colors', { frameCount: 4, layout: 'grid', gradient: ['#FBC2EB', '#A6C1EE'], borderColor: WHITE, theme: 'pastel' }],
  ['Christmas frame 2x2', { frameCount: 4, layout: 'grid', gradient: ['#B71C1C', '#1B5E20'], theme: 'Christmas', style: 'confetti' }],
  ['#ff00aa background with #00ff00 border', { frameCount: 3, layout: 'vertical', backgroundColor: '#FF00AA', borderColor: '#00FF00' }],
  ['dark green and light pink vertical frame with thick border', { frameCount: 3, layout: 'vertical', gradient: ['#28602B', '#F48CAF'], borderThickness: 6 }],
  ['a cute baby frame with three pictures', { frameCount: 3, layout: 'vertical', theme: 'baby', style: 'polaroid' }],
  ['photostrip of 3 with sunset vibes', { frameCount: 3, layout: 'vertical', gradient: ['#FF7E5F', '#6A3093'], theme: 'sunset' }],
  ['elegant black and gold, 4 pics', { frameCount: 4, layout: 'grid', backgroundColor: BLACK, borderColor: GOLD, theme: 'elegant' }],
  ['wedding frame, ivory background, rose gold borders, rounded corners, two photos', { frameCount: 2, layout: 'vertical', backgroundColor: '#FFFFF0', borderColor: '#B76E79', borderRadius: 28, theme: 'wedding' }],
  ['I want a horizontal frame with two photos, coral and teal', { frameCount: 2, layout: 'horizontal', gradient: ['#FF7F50', '#008080'] }],
  ['Eid Mubarak frame, green, three photos stacked (capitalised)', { frameCount: 3, layout: 'vertical', backgroundColor: GREEN, borderColor: GOLD, theme: 'Eid' }],
  ['a single photo frame in red', { frameCount: 2, layout: 'vertical', backgroundColor: RED }],
  ['grduation frame with blu and yelow, horizonal, 3 photos (typos)', { frameCount: 3, layout: 'horizontal', gradient: [BLUE, YELLOW], theme: 'graduation' }],
  ['a photo strip, not a grid, with silver borders on a plain black background', { frameCount: 3, layout: 'vertical', backgroundColor: BLACK, borderColor: SILVER, solid: true }],
  ['3x3 collage for our class reunion', { frameCount: 4, layout: 'grid', theme: 'school' }],
  ['frame with 10 photos', { frameCount: 4, layout: 'grid' }],
]; // prettier-ignore

const HEX = /^#[0-9A-F]{6}$/;

function check(description: string, expected: Expected) {
  const design = designFrame(description);
  const spec = design.frameSpec;
  // What the web client checks (CONTRACT #39).
  expect(spec.frameCount).toBeGreaterThanOrEqual(2);
  expect(spec.frameCount).toBeLessThanOrEqual(4);
  expect(['vertical', 'horizontal', 'grid']).toContain(spec.layout);
  for (const colour of [spec.backgroundColor, spec.borderColor, spec.gradientFrom, spec.gradientTo])
    if (colour !== undefined) expect(colour).toMatch(HEX);

  expect(spec.frameCount).toBe(expected.frameCount);
  expect(spec.layout).toBe(expected.layout);
  if (expected.backgroundColor) expect(spec.backgroundColor).toBe(expected.backgroundColor);
  if (expected.borderColor) expect(spec.borderColor).toBe(expected.borderColor);
  if (expected.gradient) {
    expect([spec.gradientFrom, spec.gradientTo]).toEqual(expected.gradient);
    expect(spec.backgroundColor).toBe(expected.gradient[0]);
  }
  if (expected.solid) expect(spec.gradientFrom).toBeUndefined();
  else expect(spec.gradientFrom).toBe(spec.backgroundColor);
  if (expected.theme) expect(design.theme).toBe(expected.theme);
  if (expected.style) expect(spec.style).toBe(expected.style);
  if (expected.borderThickness) expect(spec.borderThickness).toBe(expected.borderThickness);
  if (expected.borderRadius !== undefined) expect(spec.borderRadius).toBe(expected.borderRadius);
  return design;
}

describe('designFrame', () => {
  it('has a table of at least 30 descriptions, half of them in each language', () => {
    expect(INDONESIAN.length + ENGLISH.length).toBeGreaterThanOrEqual(30);
    expect(Math.abs(INDONESIAN.length - ENGLISH.length)).toBeLessThanOrEqual(1);
  });

  it.each(INDONESIAN)('reads the Indonesian "%s"', (description, expected) => {
    expect(check(description, expected).language).toBe('id');
  });

  it.each(ENGLISH)('reads the English "%s"', (description, expected) => {
    expect(check(description, expected).language).toBe('en');
  });

  it('says when a photo count had to be brought into 2–4', () => {
    expect(designFrame('frame with 10 photos').requestedCount).toBe(10);
    expect(designFrame('satu foto saja').requestedCount).toBe(1);
    expect(designFrame('3 foto').requestedCount).toBeUndefined();
  });

  it('is deterministic', () => {
    const text = 'bingkai ultah 3 foto gradasi pink ke ungu';
    expect(designFrame(text)).toEqual(designFrame(text));
  });

  it('never fails: empty words, nonsense and huge input still give a valid spec', () => {
    for (const text of ['', '???', 'lorem ipsum dolor', 'x'.repeat(5000), '99999 foto #zzzzzz'])
      check(text, { frameCount: 3, layout: 'vertical' });
  });

  it('does not take ordinary words for colours or numbers ("marah", "tempat", "while")', () => {
    const spec = designFrame('saya marah, tempat ini while').frameSpec;
    expect(spec.backgroundColor).toBe('#FF7EB3');
    expect(spec.frameCount).toBe(3);
  });
});

describe('descriptionFrom', () => {
  const prompt = (description: string) =>
    `Kamu adalah desainer bingkai foto. Buat spesifikasi frame berdasarkan deskripsi pengguna.\n` +
    `Deskripsi: "${description}"\n` +
    'Jawab HANYA dengan JSON: ```json\n{ "frameSpec": { "frameCount": 2-4, "layout": "vertical|horizontal|grid", "backgroundColor": "#hex", "borderColor": "#hex" } }\n```';

  it('takes the description out of the client’s Indonesian prompt, ignoring the JSON example', () => {
    expect(descriptionFrom(prompt('frame ulang tahun 4 foto warna pink'))).toBe(
      'frame ulang tahun 4 foto warna pink',
    );
    const spec = designFrame(descriptionFrom(prompt('2 foto menyamping biru'))).frameSpec;
    expect(spec).toMatchObject({ frameCount: 2, layout: 'horizontal', backgroundColor: BLUE });
  });

  it('keeps quotes and apostrophes inside the description', () => {
    expect(descriptionFrom(prompt(`kid's party "fun" frame`))).toBe(`kid's party "fun" frame`);
  });

  it('uses the whole message when there is no Deskripsi marker', () => {
    expect(descriptionFrom('  three photos in blue  ')).toBe('three photos in blue');
  });
});
