import type { FrameStyle } from '../../imaging/frame-art';
import type { FrameLayout } from '../../models/enums';
import type { GenerateFrameSpec } from './ai-frames.schemas';
import {
  colourDistance,
  contrastLine,
  darken,
  gradientPartner,
  lighten,
  normalizeHex,
  rgbToHex,
} from './colour';
import {
  COLOUR_WORDS,
  DARKER,
  DEFAULT_PALETTE,
  FILLER_WORDS,
  FROM_WORDS,
  GRADIENT_LINKS,
  GRADIENT_WORDS,
  LAYOUT_WORDS,
  LIGHTER,
  LINE_FRIENDLY,
  LIST_LINKS,
  NEGATIONS,
  NEVER_CORRECT,
  NOT_A_COUNT_BEFORE,
  NUMBER_WORDS,
  OTHER_UNITS,
  PHOTO_NOUNS,
  ROLE_WORDS,
  ROUND_WORDS,
  SHARP_WORDS,
  SOLID_WORDS,
  STYLE_WORDS,
  THEMES,
  THICK_WORDS,
  THIN_WORDS,
} from './frame-words';

/**
 * What the web client's AI creator reads from `/ai/chat` (CONTRACT #39): the generator's input,
 * so it can be passed straight on to `/ai/generate-frame`.
 */
export type ChatFrameSpec = Omit<GenerateFrameSpec, 'style' | 'title'> & { style: FrameStyle };

export interface FrameDesign {
  frameSpec: ChatFrameSpec;
  language: 'id' | 'en';
  /** The occasion or mood that picked the palette, in the reply's language. */
  theme?: string;
  /** The photo count asked for, when it had to be brought into the client's 2–4. */
  requestedCount?: number;
}

/** The AI creator of the web client accepts 2–4 photos (CONTRACT #39). */
export const CHAT_MIN_PHOTOS = 2;
export const CHAT_MAX_PHOTOS = 4;

type Meaning =
  | { kind: 'colour'; hex: string; lineFriendly: boolean }
  | { kind: 'lighter'; at: 'before' | 'after' | 'both' }
  | { kind: 'darker'; at: 'before' | 'after' | 'both' }
  | { kind: 'role'; role: 'border' | 'background' }
  | { kind: 'gradient' }
  | { kind: 'gradient-link' }
  | { kind: 'list-link' }
  | { kind: 'from' }
  | { kind: 'solid' }
  | { kind: 'layout'; layout: FrameLayout; weight: number }
  | { kind: 'number'; value: number }
  | { kind: 'photo-noun'; strong: boolean }
  | { kind: 'other-unit' }
  | { kind: 'not-a-count' }
  | { kind: 'negation' }
  | { kind: 'theme'; index: number }
  | { kind: 'style'; style: FrameStyle }
  | { kind: 'thickness'; value: number }
  | { kind: 'radius'; value: number }
  | { kind: 'rows' }
  | { kind: 'columns' };

interface Mention {
  /** First token and number of tokens covered. */
  at: number;
  length: number;
  text: string;
  meanings: Meaning[];
  used?: boolean;
}

const WEAK_LAYOUT_WORDS = new Set(['kotak', 'square', 'squares', 'samping', 'tile', 'tiles']);
const WEAK_PHOTO_NOUNS = new Set(['frame', 'frames', 'bingkai', 'kotak', 'panel', 'panels']);
const MAX_PHRASE_TOKENS = 4;

const LEXICON = buildLexicon();
const VOCABULARY = new Set([...LEXICON.keys()].flatMap((phrase) => phrase.split(' ')));
/** The lexicon's phrases by word count and first letter, split once (typo correction scans them). */
const PHRASE_INDEX = indexPhrases();

function indexPhrases(): Map<string, Array<{ parts: string[]; meanings: Meaning[] }>> {
  const groups = new Map<string, Array<{ parts: string[]; meanings: Meaning[] }>>();
  for (const [phrase, meanings] of LEXICON) {
    const parts = phrase.split(' ');
    const key = `${parts.length}:${phrase[0]}`;
    const group = groups.get(key) ?? [];
    group.push({ parts, meanings });
    groups.set(key, group);
  }
  return groups;
}

/**
 * Reads a frame description (Indonesian or English, typos allowed) into a frame spec the web
 * client accepts. Pure and deterministic: the same words always give the same frame.
 */
export function designFrame(description: string): FrameDesign {
  const tokens = tokenize(description);
  const mentions = findMentions(tokens);
  const language = languageOf(tokens);

  const colours = readColours(mentions);
  const theme = pickTheme(mentions);
  const palette = theme ? THEMES[theme.index]!.palette : undefined;
  const { count, layout } = readCountAndLayout(tokens, mentions);
  const requested = count;
  const frameCount = Math.min(
    CHAT_MAX_PHOTOS,
    Math.max(CHAT_MIN_PHOTOS, count ?? defaultCount(layout)),
  );
  const chosenLayout = layout ?? (frameCount >= 4 ? 'grid' : 'vertical');

  const roles = assignColours(tokens, colours, mentions, language, has(mentions, 'gradient'));
  const solid = has(mentions, 'solid');
  let backgroundColor: string;
  let gradient: [string, string] | undefined;
  if (roles.gradient) {
    gradient = roles.gradient;
    backgroundColor = gradient[0];
  } else if (roles.background) {
    backgroundColor = roles.background;
    gradient = solid ? undefined : [backgroundColor, gradientPartner(backgroundColor)];
  } else {
    const base = palette ?? DEFAULT_PALETTE;
    backgroundColor = base.from;
    gradient = solid ? undefined : [base.from, base.to];
  }
  const ends = gradient ?? [backgroundColor, backgroundColor];
  const themeLine =
    palette && ends.every((end) => colourDistance(end, palette.border) > 40)
      ? palette.border
      : undefined;
  const borderColor = roles.border ?? themeLine ?? lineFor(ends);

  const spec: ChatFrameSpec = {
    frameCount,
    layout: chosenLayout,
    backgroundColor,
    borderColor,
    ...(gradient ? { gradientFrom: gradient[0], gradientTo: gradient[1] } : {}),
    borderThickness: pick(mentions, 'thickness') ?? 3,
    borderRadius: pick(mentions, 'radius') ?? 12,
    style: pickStyle(mentions) ?? palette?.style ?? 'classic',
  };
  return {
    frameSpec: spec,
    language,
    ...(theme ? { theme: THEMES[theme.index]!.name[language] } : {}),
    ...(requested !== undefined && requested !== frameCount ? { requestedCount: requested } : {}),
  };
}

/** The description inside the client's prompt (`Deskripsi: "…"`), else the whole text. */
export function descriptionFrom(prompt: string): string {
  const marker = /(?:deskripsi|description)\s*:\s*/i.exec(prompt);
  if (!marker) return prompt.trim();
  const rest = prompt.slice(marker.index + marker[0].length);
  const quoted = /^["“”']([\s\S]*?)["“”'](?=\s*(?:\n|$|[.,;]))/.exec(rest);
  if (quoted) return quoted[1]!.trim();
  return (rest.split('\n')[0] ?? '').replace(/^["“”']|["“”']$/g, '').trim();
}

function tokenize(text: string): string[] {
  const plain = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/rgb\s*\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)/g, (_m, r, g, b) =>
      rgbToHex(Number(r), Number(g), Number(b)).toLowerCase(),
    );
  return plain.match(/#[0-9a-f]{3,8}\b|[a-z0-9]+/g) ?? [];
}

function buildLexicon(): Map<string, Meaning[]> {
  const lexicon = new Map<string, Meaning[]>();
  const add = (phrase: string, meaning: Meaning) => {
    const list = lexicon.get(phrase) ?? [];
    list.push(meaning);
    lexicon.set(phrase, list);
  };
  for (const [phrases, hex] of COLOUR_WORDS)
    for (const p of phrases) add(p, { kind: 'colour', hex, lineFriendly: LINE_FRIENDLY.has(hex) });
  for (const at of ['before', 'after', 'both'] as const) {
    for (const w of LIGHTER[at]) add(w, { kind: 'lighter', at });
    for (const w of DARKER[at]) add(w, { kind: 'darker', at });
  }
  for (const w of ROLE_WORDS.border) add(w, { kind: 'role', role: 'border' });
  for (const w of ROLE_WORDS.background) add(w, { kind: 'role', role: 'background' });
  for (const w of GRADIENT_WORDS) add(w, { kind: 'gradient' });
  for (const w of GRADIENT_LINKS) add(w, { kind: 'gradient-link' });
  for (const w of LIST_LINKS) add(w, { kind: 'list-link' });
  for (const w of FROM_WORDS) add(w, { kind: 'from' });
  for (const w of SOLID_WORDS) add(w, { kind: 'solid' });
  for (const [layout, words] of Object.entries(LAYOUT_WORDS) as Array<[FrameLayout, string[]]>)
    for (const w of words)
      add(w, { kind: 'layout', layout, weight: WEAK_LAYOUT_WORDS.has(w) ? 1 : 2 });
  for (const [w, value] of Object.entries(NUMBER_WORDS)) add(w, { kind: 'number', value });
  for (const w of PHOTO_NOUNS) add(w, { kind: 'photo-noun', strong: !WEAK_PHOTO_NOUNS.has(w) });
  for (const w of OTHER_UNITS) add(w, { kind: 'other-unit' });
  for (const w of NOT_A_COUNT_BEFORE) add(w, { kind: 'not-a-count' });
  for (const w of NEGATIONS) add(w, { kind: 'negation' });
  THEMES.forEach((theme, index) => theme.words.forEach((w) => add(w, { kind: 'theme', index })));
  for (const [style, words] of Object.entries(STYLE_WORDS) as Array<[FrameStyle, string[]]>)
    for (const w of words) add(w, { kind: 'style', style });
  for (const w of THICK_WORDS) add(w, { kind: 'thickness', value: 6 });
  for (const w of THIN_WORDS) add(w, { kind: 'thickness', value: 1 });
  for (const w of ROUND_WORDS) add(w, { kind: 'radius', value: 28 });
  for (const w of SHARP_WORDS) add(w, { kind: 'radius', value: 0 });
  for (const w of ['baris', 'rows', 'row', 'lajur']) add(w, { kind: 'rows' });
  for (const w of ['kolom', 'columns', 'column', 'cols']) add(w, { kind: 'columns' });
  return lexicon;
}

/** Longest phrase first at each token; exact spellings beat corrected ones. */
function findMentions(tokens: string[]): Mention[] {
  const mentions: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    let best: { length: number; fuzzy: number; meanings: Meaning[] } | undefined;
    for (let length = Math.min(MAX_PHRASE_TOKENS, tokens.length - i); length >= 1; length--) {
      const words = tokens.slice(i, i + length);
      const exact = LEXICON.get(words.join(' '));
      if (exact) {
        best = { length, fuzzy: 0, meanings: exact };
        break;
      }
      const corrected = correctedPhrase(words);
      if (corrected && (!best || corrected.fuzzy < best.fuzzy)) best = { length, ...corrected };
      if (best) break;
    }
    const token = tokens[i]!;
    const literal = literalMeaning(token);
    if (best) {
      mentions.push({
        at: i,
        length: best.length,
        text: tokens.slice(i, i + best.length).join(' '),
        meanings: best.meanings,
      });
      i += best.length;
    } else {
      if (literal) mentions.push({ at: i, length: 1, text: token, meanings: [literal] });
      i += 1;
    }
  }
  return mentions;
}

function literalMeaning(token: string): Meaning | undefined {
  if (token.startsWith('#')) {
    const hex = normalizeHex(token);
    return hex ? { kind: 'colour', hex, lineFriendly: false } : undefined;
  }
  if (/^\d{1,2}$/.test(token)) return { kind: 'number', value: Number(token) };
  return undefined;
}

/** The phrase of the lexicon that `words` spell with the fewest small typos, if any. */
function correctedPhrase(words: string[]): { fuzzy: number; meanings: Meaning[] } | undefined {
  // A word that is itself in the vocabulary (or never corrected) can only match exactly.
  if (words.every((w) => VOCABULARY.has(w) || NEVER_CORRECT.has(w) || w.length < 4))
    return undefined;
  let best: { fuzzy: number; edits: number; meanings: Meaning[] } | undefined;
  // Typos keep the first letter, or swap the first two (typoDistance).
  const first = words[0]!;
  const candidates = [
    ...(PHRASE_INDEX.get(`${words.length}:${first[0]}`) ?? []),
    ...(first[1] && first[1] !== first[0]
      ? (PHRASE_INDEX.get(`${words.length}:${first[1]}`) ?? [])
      : []),
  ];
  for (const { parts, meanings } of candidates) {
    if (!parts.every((part, k) => part === words[k] || roughlyAlike(words[k]!, part))) continue;
    let fuzzy = 0;
    let edits = 0;
    for (let k = 0; k < parts.length && fuzzy >= 0; k++) {
      if (parts[k] === words[k]) continue;
      const distance = typoDistance(words[k]!, parts[k]!);
      if (distance === undefined) fuzzy = -1;
      else {
        fuzzy += 1;
        edits += distance;
      }
    }
    // A phrase of several words needs one of them spelled right.
    if (fuzzy <= 0 || fuzzy >= Math.max(2, parts.length)) continue;
    if (!best || edits < best.edits || (edits === best.edits && fuzzy < best.fuzzy))
      best = { fuzzy, edits, meanings };
  }
  return best && { fuzzy: best.fuzzy, meanings: best.meanings };
}

/**
 * How many edits make `token` a typo of `word`, or undefined when it is not one: never for known
 * words or short ones; a swapped pair for four letters, one edit up to seven, two from eight; and
 * the first letter right (typos rarely start a word).
 */
function typoDistance(token: string, word: string): number | undefined {
  if (VOCABULARY.has(token) || NEVER_CORRECT.has(token) || /\d/.test(token)) return undefined;
  if (word.length < 4 || token.length < 4) return undefined;
  const swappedStart = token[0] === word[1] && token[1] === word[0];
  if (token[0] !== word[0] && !swappedStart) return undefined;
  const limit = word.length >= 8 ? 2 : 1;
  const distance = editDistance(token, word, limit);
  if (distance > limit) return undefined;
  if (word.length === 4 && !isTransposition(token, word)) return undefined;
  return distance;
}

/** A cheap pre-check for typoDistance: same first letter (or the first two swapped), close length. */
function roughlyAlike(token: string, word: string): boolean {
  return (
    Math.abs(token.length - word.length) <= 2 &&
    (token[0] === word[0] || (token[0] === word[1] && token[1] === word[0]))
  );
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!]
  );
}

/** Optimal string alignment distance (Damerau: adjacent swaps cost one), stopping past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  // One flat table; it is tiny (words), and allocation, not arithmetic, is what costs here.
  const d = new Int32Array((a.length + 1) * cols);
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * cols] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[a.length * cols + b.length]!;
}

const ID_MARKERS = new Set(['dan', 'dengan', 'yang', 'untuk', 'warna', 'dari', 'foto', 'bingkai', 'latar', 'buat', 'buatkan', 'tolong', 'saya', 'aku', 'mau', 'ingin', 'tema', 'pakai', 'biar', 'agar', 'sama', 'ada', 'ini', 'itu', 'bikin', 'nuansa', 'gaya', 'kesan', 'acara', 'berwarna', 'buah', 'garis', 'tepi', 'juga', 'atau']); // prettier-ignore
const EN_MARKERS = new Set(['and', 'with', 'the', 'for', 'a', 'an', 'photos', 'photo', 'frame', 'colour', 'color', 'make', 'please', 'i', 'want', 'theme', 'style', 'of', 'in', 'to', 'my', 'some', 'like', 'would', 'create', 'design', 'border', 'background', 'pictures', 'feel', 'vibe', 'party', 'look']); // prettier-ignore

/** Indonesian unless the words are clearly English (the product is Indonesian). */
function languageOf(tokens: string[]): 'id' | 'en' {
  let id = 0;
  let en = 0;
  for (const t of tokens) {
    if (ID_MARKERS.has(t)) id++;
    if (EN_MARKERS.has(t)) en++;
  }
  return en > id ? 'en' : 'id';
}

function meaning<K extends Meaning['kind']>(
  mention: Mention | undefined,
  kind: K,
): Extract<Meaning, { kind: K }> | undefined {
  return mention?.meanings.find((m): m is Extract<Meaning, { kind: K }> => m.kind === kind);
}

function has(mentions: Mention[], kind: Meaning['kind']): boolean {
  return mentions.some((m) => !m.used && !negated(mentions, m) && meaning(m, kind));
}

function pick(mentions: Mention[], kind: 'thickness' | 'radius'): number | undefined {
  for (const m of mentions) {
    const found = meaning(m, kind);
    if (found && !m.used && !negated(mentions, m)) return found.value;
  }
  return undefined;
}

function pickStyle(mentions: Mention[]): FrameStyle | undefined {
  for (const m of mentions) {
    const found = meaning(m, 'style');
    if (found && !negated(mentions, m)) return found.style;
  }
  return undefined;
}

/** The mention right before `m` (no token between). */
function before(mentions: Mention[], m: Mention): Mention | undefined {
  const index = mentions.indexOf(m);
  const previous = mentions[index - 1];
  return previous && previous.at + previous.length === m.at ? previous : undefined;
}

function after(mentions: Mention[], m: Mention): Mention | undefined {
  const next = mentions[mentions.indexOf(m) + 1];
  return next && next.at === m.at + m.length ? next : undefined;
}

/** "bukan vertikal", "no black", "tanpa warna hitam": a negation up to two tokens before. */
function negated(mentions: Mention[], m: Mention): boolean {
  const index = mentions.indexOf(m);
  for (let k = index - 1; k >= 0; k--) {
    const previous = mentions[k]!;
    if (m.at - (previous.at + previous.length) > 1) return false;
    if (meaning(previous, 'negation')) return true;
    if (!meaning(previous, 'role') && !isFiller(previous)) return false;
  }
  return false;
}

function isFiller(m: Mention): boolean {
  return (
    FILLER_WORDS.has(m.text) || m.meanings.every((x) => x.kind === 'list-link' || x.kind === 'role')
  );
}

interface ColourMention {
  mention: Mention;
  hex: string;
  lineFriendly: boolean;
}

/** Colours in order of mention, shaded by their modifiers ("biru muda", "dark green"). */
function readColours(mentions: Mention[]): ColourMention[] {
  const colours: ColourMention[] = [];
  for (const m of mentions) {
    const colour = meaning(m, 'colour');
    if (!colour || m.used) continue;
    let hex = colour.hex;
    const prev = before(mentions, m);
    const next = after(mentions, m);
    const lighter =
      shade(prev, 'lighter', ['before', 'both']) ?? shade(next, 'lighter', ['after', 'both']);
    const darker =
      shade(prev, 'darker', ['before', 'both']) ?? shade(next, 'darker', ['after', 'both']);
    if (lighter) {
      hex = lighten(hex, meaning(lighter, 'lighter')?.at === 'both' ? 0.55 : 0.4);
      lighter.used = true;
    } else if (darker) {
      hex = darken(hex, 0.4);
      darker.used = true;
    }
    m.used = true;
    if (negated(mentions, m)) continue;
    colours.push({ mention: m, hex, lineFriendly: colour.lineFriendly });
  }
  return colours;
}

function shade(
  m: Mention | undefined,
  kind: 'lighter' | 'darker',
  at: Array<'before' | 'after' | 'both'>,
): Mention | undefined {
  const found = meaning(m, kind);
  return m && found && !m.used && at.includes(found.at) ? m : undefined;
}

/** Occasions beat moods; the first mentioned of either wins. */
function pickTheme(mentions: Mention[]): { index: number } | undefined {
  let mood: { index: number } | undefined;
  for (const m of mentions) {
    const theme = meaning(m, 'theme');
    if (!theme || m.used || negated(mentions, m)) continue;
    if (THEMES[theme.index]!.occasion) return theme;
    mood ??= theme;
  }
  return mood;
}

interface Roles {
  background?: string;
  border?: string;
  gradient?: [string, string];
}

/**
 * Who gets which colour: gradient pairs first ("dari biru ke ungu", "blue to purple", or two
 * colours with a gradient word), then role words ("border emas", "white border"), then what is
 * left: the first colour is the background, the next the border — or, when the only other colour
 * is a metal or white, that one is the border and the two do not make a gradient.
 */
function assignColours(
  tokens: string[],
  colours: ColourMention[],
  mentions: Mention[],
  language: 'id' | 'en',
  gradientWanted: boolean,
): Roles {
  const roles: Roles = {};
  const free = new Set(colours);
  for (let k = 0; k + 1 < colours.length && !roles.gradient; k++) {
    const [a, b] = [colours[k]!, colours[k + 1]!];
    const link = linkBetween(mentions, a.mention, b.mention);
    if (link === 'gradient' || (link === 'list' && gradientWanted && !b.lineFriendly)) {
      roles.gradient = [a.hex, b.hex];
      free.delete(a);
      free.delete(b);
    }
  }
  for (const m of mentions) {
    const role = meaning(m, 'role');
    if (!role || roles[role.role]) continue;
    const target = colourForRole(tokens, mentions, m, free, language);
    if (!target) continue;
    if (role.role === 'background' && roles.gradient) continue;
    roles[role.role] = target.hex;
    free.delete(target);
  }
  const rest = [...free];
  if (!roles.background && !roles.gradient && rest.length > 0) {
    const [first, second] = rest;
    if (second && !second.lineFriendly && !roles.border) {
      roles.gradient = [first!.hex, second.hex];
      rest.splice(0, 2);
    } else if (gradientWanted && !second) {
      roles.gradient = [first!.hex, gradientPartner(first!.hex)];
      rest.splice(0, 1);
    } else {
      roles.background = first!.hex;
      rest.splice(0, 1);
    }
  }
  if (!roles.border && rest.length > 0) roles.border = rest[0]!.hex;
  return roles;
}

function linkBetween(mentions: Mention[], a: Mention, b: Mention): 'gradient' | 'list' | undefined {
  const between = mentions.slice(mentions.indexOf(a) + 1, mentions.indexOf(b));
  const gap = b.at - (a.at + a.length) - between.reduce((n, m) => n + m.length, 0);
  if (gap > 1) return undefined;
  if (between.length === 0) return gap === 0 ? 'list' : undefined;
  if (between.length === 1 && meaning(between[0], 'gradient-link')) return 'gradient';
  if (between.length === 1 && meaning(between[0], 'list-link')) return 'list';
  return undefined;
}

function colourForRole(
  tokens: string[],
  mentions: Mention[],
  role: Mention,
  free: Set<ColourMention>,
  language: 'id' | 'en',
): ColourMention | undefined {
  // Tokens between two positions that are not fillers ("warna", "with", "a", …).
  const distance = (from: number, to: number) =>
    tokens.slice(Math.min(from, to), Math.max(from, to)).filter((t) => !FILLER_WORDS.has(t)).length;
  const near = (step: 1 | -1, reach: number): ColourMention | undefined => {
    const index = mentions.indexOf(role);
    for (let k = index + step; k >= 0 && k < mentions.length; k += step) {
      const m = mentions[k]!;
      const gap =
        step === 1 ? distance(role.at + role.length, m.at) : distance(m.at + m.length, role.at);
      if (gap > reach) return undefined;
      const colour = [...free].find((c) => c.mention === m);
      if (colour) return colour;
      if (meaning(m, 'role') || meaning(m, 'colour')) return undefined;
    }
    return undefined;
  };
  const following = near(1, 1);
  const preceding = near(-1, 1);
  return language === 'en' ? (preceding ?? following) : (following ?? preceding);
}

/**
 * The photo count and layout: "2x2" or "2 kolom 2 baris" give both; otherwise a number next to a
 * photo word ("4 foto", "empat pose"), else a lone small number that is not an age or ordinal.
 */
function readCountAndLayout(
  tokens: string[],
  mentions: Mention[],
): { count?: number; layout?: FrameLayout } {
  let layout: FrameLayout | undefined;
  let weight = 0;
  for (const m of mentions) {
    const found = meaning(m, 'layout');
    if (found && found.weight > weight && !negated(mentions, m)) {
      layout = found.layout;
      weight = found.weight;
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const grid =
      /^(\d)x(\d)$/.exec(tokens[i]!) ??
      (/^\d$/.test(tokens[i]!) && tokens[i + 1] === 'x' && /^\d$/.test(tokens[i + 2] ?? '')
        ? [tokens[i]!, tokens[i]!, tokens[i + 2]!]
        : null);
    if (grid) {
      const [columns, rows] = [Number(grid[1]), Number(grid[2])];
      if (columns > 0 && rows > 0) return fromGrid(columns, rows, layout, weight);
    }
  }
  let columns: number | undefined;
  let rows: number | undefined;
  let strong: number | undefined;
  let strongRank = 0;
  let loose: number | undefined;
  mentions.forEach((m) => {
    const number = meaning(m, 'number');
    if (!number) return;
    const next =
      after(mentions, m) ??
      (CLASSIFIERS.has(tokens[m.at + 1] ?? '')
        ? mentions.find((x) => x.at === m.at + 2)
        : undefined);
    const prev = before(mentions, m);
    if (meaning(next, 'columns')) columns ??= number.value;
    else if (meaning(next, 'rows')) rows ??= number.value;
    const noun =
      meaning(next, 'photo-noun') ?? (isPhotoLabel(prev) ? meaning(prev, 'photo-noun') : undefined);
    if (noun && number.value >= 1 && number.value <= 20) {
      const rank = noun.strong ? 2 : 1;
      if (rank > strongRank) {
        strong = number.value;
        strongRank = rank;
      }
      return;
    }
    const counted =
      meaning(next, 'other-unit') ?? meaning(next, 'columns') ?? meaning(next, 'rows');
    if (counted || meaning(prev, 'not-a-count') || meaning(prev, 'theme')) return;
    if (number.value >= 1 && number.value <= 9) loose ??= number.value;
  });
  if (columns !== undefined || rows !== undefined) {
    if (columns !== undefined && rows !== undefined) return fromGrid(columns, rows, layout, weight);
    if (columns !== undefined && columns > 1)
      return { count: strong ?? columns, layout: weight === 2 ? layout : 'horizontal' };
    if (rows !== undefined && rows > 1)
      return { count: strong ?? rows, layout: weight === 2 ? layout : 'vertical' };
  }
  return { count: strong ?? loose, layout };
}

function fromGrid(
  columns: number,
  rows: number,
  layout: FrameLayout | undefined,
  weight: number,
): { count: number; layout: FrameLayout } {
  const shape: FrameLayout = columns === 1 ? 'vertical' : rows === 1 ? 'horizontal' : 'grid';
  return { count: columns * rows, layout: weight === 2 && shape !== 'grid' ? layout! : shape };
}

/** "foto: 4", "photos 3": a photo word right before the number labels it. */
function isPhotoLabel(m: Mention | undefined): boolean {
  return Boolean(meaning(m, 'photo-noun'));
}

/** Counting words between a number and its noun ("4 buah foto", "3 lembar foto", "4 x photos"). */
const CLASSIFIERS = new Set(['buah', 'lembar', 'pcs', 'biji', 'x', 'kali', 'total']);

function defaultCount(layout: FrameLayout | undefined): number {
  return layout === 'grid' ? 4 : 3;
}

/** A line colour that stands out on both ends of the background: white unless both are light. */
function lineFor(ends: readonly [string, string]): string {
  return ends.some((end) => contrastLine(end) === '#FFFFFF') ? '#FFFFFF' : contrastLine(ends[0]);
}
