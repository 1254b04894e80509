import { DOMParser, XMLSerializer, type Element, type Node } from '@xmldom/xmldom';
import sharp from 'sharp';
import { ImagingError, toImagingError, type ImagingProblem } from './imaging-errors';

export interface SanitizedSvg {
  svg: string;
  width: number;
  height: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const MAX_SVG_BYTES = 5 * 1024 * 1024;
const MAX_ELEMENTS = 20_000;
const MAX_DEPTH = 64;
const MAX_SIDE = 10_000;

/** Static drawing elements only: no scripting, no foreign content, no animation (it can set hrefs). */
const ALLOWED_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'title', 'desc', 'symbol', 'use', 'image', 'switch', 'a', 'style',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix',
  'feDiffuseLighting', 'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood',
  'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode',
  'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile',
  'feTurbulence',
]); // prettier-ignore

/** Editor bookkeeping that is safe to drop (Inkscape, Sodipodi, RDF metadata). */
const DROPPED_NAMESPACES = [
  'http://www.inkscape.org/namespaces/inkscape',
  'http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'http://creativecommons.org/ns#',
  'http://purl.org/dc/elements/1.1/',
];
const DROPPED_ELEMENTS = new Set(['metadata']);

const SAFE_HREF = /^(#[\w.:-]+|data:image\/(png|jpeg|jpg|webp);base64,[a-z0-9+/=\s]*)$/i;
const CSS_DANGER = /@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding/i;
const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;

/**
 * Parses an uploaded SVG and returns a re-serialised copy that is safe to store, serve and
 * rasterise. Anything that could run script or fetch a resource is refused (400) rather than
 * silently removed, so the uploader learns why; harmless editor metadata and comments are dropped.
 * DOCTYPEs are refused outright: entity declarations are the only way to "billion laughs" XML.
 */
export function sanitizeSvg(input: Buffer | string): SanitizedSvg {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (Buffer.byteLength(text) > MAX_SVG_BYTES) {
    throw ImagingError.tooLarge('The SVG is larger than 5 MB');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw ImagingError.invalid('SVG must not contain DOCTYPE or ENTITY declarations');
  }
  const root = parseRoot(text);
  const problems: ImagingProblem[] = [];
  const counter = { elements: 0 };
  cleanElement(root, problems, counter, 0, root.namespaceURI ?? null);
  if (problems.length > 0) {
    throw ImagingError.invalid('The SVG contains unsafe content', problems.slice(0, 20));
  }
  const { width, height } = sizeOf(root);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  if (!root.getAttribute('xmlns')) root.setAttribute('xmlns', SVG_NS);
  return { svg: new XMLSerializer().serializeToString(root), width, height };
}

/** True when the bytes look like an SVG document (the caller then sanitises them). */
export function looksLikeSvg(data: Buffer): boolean {
  const head = data
    .subarray(0, 8192)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return /^(<\?xml|<!--|<!DOCTYPE|<svg[\s>/])/i.test(head) && /<svg[\s>/]/i.test(head);
}

/** Renders an SVG at exactly width × height as a PNG with alpha. */
export async function rasterizeSvg(svg: string, width: number, height: number): Promise<Buffer> {
  const source = Buffer.from(svg);
  try {
    const meta = await sharp(source, { limitInputPixels: MAX_SIDE * MAX_SIDE }).metadata();
    const scale = Math.max(width / (meta.width ?? width), height / (meta.height ?? height));
    return await sharp(source, { density: 72 * scale, limitInputPixels: MAX_SIDE * MAX_SIDE * 4 })
      .resize(width, height, { fit: 'fill' })
      .ensureAlpha()
      .png({ compressionLevel: 6 })
      .toBuffer();
  } catch (error) {
    throw toImagingError(error);
  }
}

function parseRoot(text: string): Element {
  let document;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'image/svg+xml');
  } catch {
    throw ImagingError.invalid('The SVG is not well-formed XML');
  }
  const root = document.documentElement;
  if (!root || root.localName !== 'svg' || (root.namespaceURI && root.namespaceURI !== SVG_NS)) {
    throw ImagingError.unsupported('The file is not an SVG image');
  }
  for (let node = document.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.PROCESSING_INSTRUCTION_NODE && node.nodeName !== 'xml') {
      throw ImagingError.invalid('SVG must not contain processing instructions');
    }
  }
  return root;
}

function cleanElement(
  element: Element,
  problems: ImagingProblem[],
  counter: { elements: number },
  depth: number,
  rootNs: string | null,
): void {
  if (++counter.elements > MAX_ELEMENTS || depth > MAX_DEPTH) {
    throw ImagingError.invalid('The SVG is too complex');
  }
  const name = element.localName ?? element.nodeName;
  const where = `<${element.nodeName}>`;
  if (!ALLOWED_ELEMENTS.has(name)) {
    problems.push({ field: where, message: `element ${element.nodeName} is not allowed` });
    return;
  }
  cleanAttributes(element, problems, where);
  if (name === 'style') checkCss(element.textContent ?? '', problems, where);

  const children: Node[] = [];
  for (let child = element.firstChild; child; child = child.nextSibling) children.push(child);
  for (const child of children) {
    if (child.nodeType === child.COMMENT_NODE) {
      element.removeChild(child);
    } else if (child.nodeType === child.PROCESSING_INSTRUCTION_NODE) {
      problems.push({ field: where, message: 'processing instructions are not allowed' });
    } else if (child.nodeType === child.ELEMENT_NODE) {
      const el = child as Element;
      const ns = el.namespaceURI;
      if (ns && DROPPED_NAMESPACES.includes(ns)) {
        element.removeChild(el);
      } else if ((ns ?? null) !== rootNs && ns !== SVG_NS) {
        problems.push({
          field: `<${el.nodeName}>`,
          message: `foreign element ${el.nodeName} is not allowed`,
        });
      } else if (DROPPED_ELEMENTS.has(el.localName ?? '')) {
        element.removeChild(el);
      } else {
        cleanElement(el, problems, counter, depth + 1, rootNs);
      }
    }
  }
}

function cleanAttributes(element: Element, problems: ImagingProblem[], where: string): void {
  const attributes = Array.from({ length: element.attributes.length }, (_, i) =>
    element.attributes.item(i),
  ).filter((a) => a !== null);
  for (const attribute of attributes) {
    const name = attribute.localName ?? attribute.name;
    const lower = attribute.name.toLowerCase();
    const value = attribute.value;
    const dropped =
      (attribute.namespaceURI && DROPPED_NAMESPACES.includes(attribute.namespaceURI)) ||
      (attribute.prefix === 'xmlns' && DROPPED_NAMESPACES.includes(value));
    if (dropped) {
      element.removeAttributeNode(attribute);
      continue;
    }
    if (/^on/i.test(name)) {
      problems.push({ field: where, message: `event handler ${attribute.name} is not allowed` });
    } else if (
      name === 'href' &&
      (attribute.namespaceURI === XLINK_NS || !attribute.namespaceURI || lower === 'xlink:href')
    ) {
      if (!SAFE_HREF.test(value.trim())) {
        problems.push({
          field: where,
          message: `${attribute.name} must be a #fragment or an inline PNG/JPEG/WebP`,
        });
      }
    } else if (lower === 'xml:base' || name === 'src' || lower === 'formaction') {
      problems.push({ field: where, message: `attribute ${attribute.name} is not allowed` });
    } else if (/url\(|javascript:|expression\(|@import/i.test(value)) {
      checkCss(value, problems, `${where} ${attribute.name}`);
    }
  }
}

function checkCss(css: string, problems: ImagingProblem[], where: string): void {
  if (CSS_DANGER.test(css)) {
    problems.push({
      field: where,
      message: 'CSS imports, expressions and javascript: are not allowed',
    });
  }
  for (const match of css.matchAll(CSS_URL)) {
    const target = (match[2] ?? '').trim();
    if (!SAFE_HREF.test(target)) {
      problems.push({
        field: where,
        message: 'CSS url() may only reference #fragments or inline raster images',
      });
    }
  }
}

function sizeOf(root: Element): { width: number; height: number } {
  const box = (root.getAttribute('viewBox') ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const viewBox =
    box.length === 4 && box.every(Number.isFinite) && box[2]! > 0 && box[3]! > 0 ? box : null;
  let width = length(root.getAttribute('width'));
  let height = length(root.getAttribute('height'));
  if (viewBox) {
    if (width === null && height === null) [width, height] = [viewBox[2]!, viewBox[3]!];
    else if (width === null) width = (height! * viewBox[2]!) / viewBox[3]!;
    else if (height === null) height = (width * viewBox[3]!) / viewBox[2]!;
  }
  if (width === null || height === null) {
    throw ImagingError.invalid('The SVG needs a width and height or a viewBox');
  }
  const w = Math.round(width);
  const h = Math.round(height);
  if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
    throw ImagingError.invalid(`SVG dimensions must be between 1 and ${MAX_SIDE} pixels`);
  }
  return { width: w, height: h };
}

/** Absolute lengths only: a percentage has no pixel size without a viewport. */
function length(value: string | null): number | null {
  if (!value) return null;
  const match = /^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$/i.exec(value);
  return match ? Number(match[1]) : null;
}
