import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ibErrors } from '../errors.js';

/** A parsed XML element: name, attributes, child elements and its own text (concatenated). */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const KNOWN_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)([^\s;<&]*;?)/;

/**
 * Parses an exchange file with fast-xml-parser into a simple tree. DTDs and unknown
 * entities are refused; malformed input is a 400 EXCHANGE_INVALID naming the line.
 */
export function parseXml(xml: string, opts: { trusted?: boolean } = {}): XmlNode {
  const source = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const fail = (m: string): never => {
    throw ibErrors.EXCHANGE_INVALID(`Malformed XML: ${m}`);
  };
  // `trusted`: XML this module's writer just produced (comparisons); it needs no validation.
  if (!opts.trusted) {
    if (/<!DOCTYPE|<!ENTITY/i.test(source)) fail('DTDs are not supported');
    const entity = KNOWN_ENTITY.exec(source);
    if (entity) fail(`unknown entity "&${entity[1]}" at line ${source.slice(0, entity.index).split('\n').length}`);
    const valid = XMLValidator.validate(source);
    if (valid !== true) fail(`${readableError(valid.err.msg)} at line ${valid.err.line}`);
  }
  const parser = opts.trusted ? trustedParser : makeParser();
  const roots = (parser.parse(source) as Ordered[]).map(toNode).filter((n): n is XmlNode => n !== null);
  if (roots.length !== 1) fail(roots.length ? 'more than one root element' : 'no root element');
  return roots[0]!;
}

function makeParser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    // Numeric references (&#13;) are decoded only in this mode; named HTML entities cannot
    // get here, the check above refuses everything but the five XML ones.
    htmlEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: '#cdata',
  });
}
const trustedParser = makeParser();

/** The validator reports unclosed tags as "Invalid '["a","b"]' found."; say it plainly. */
function readableError(msg: string): string {
  const m = /^Invalid '(\[[\s\S]*\])' found\.?$/.exec(msg);
  if (!m) return msg;
  try {
    const open = JSON.parse(m[1]!) as string[];
    return `${open.map((t) => `<${t}>`).join(', ')} ${open.length === 1 ? 'is' : 'are'} not closed`;
  } catch {
    return msg;
  }
}

/** One preserveOrder entry -> XmlNode (null for text, which the parent collects). */
function toNode(entry: Ordered): XmlNode | null {
  const name = Object.keys(entry).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata');
  if (!name) return null;
  const node: XmlNode = { name, attrs: { ...(entry[':@'] ?? {}) }, children: [], text: '' };
  for (const item of (entry[name] as Ordered[]) ?? []) {
    if ('#text' in item) {
      const text = String(item['#text']);
      if (text.trim() !== '') node.text += text;
    } else if ('#cdata' in item) {
      for (const part of item['#cdata'] as Ordered[]) node.text += String(part['#text'] ?? '');
    } else {
      const childNode = toNode(item);
      if (childNode) node.children.push(childNode);
    }
  }
  return node;
}

export const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name);
export const childrenOf = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c) => c.name === name);
export const childText = (n: XmlNode, name: string): string => child(n, name)?.text ?? '';
