/**
 * Decoding what a terminal in raw mode sends into keys: text, control keys (Ctrl-A is 0x01), Alt as an ESC
 * prefix, xterm's CSI and SS3 sequences for arrows, Home/End, PgUp/PgDn and their modifiers (ECMA-48 and
 * xterm's ctlseqs), and bracketed paste (CSI 200~ ... CSI 201~), whose contents are text however they look.
 * A sequence may arrive split over several reads; what is incomplete waits for the next read, and a lone ESC
 * becomes the Escape key only when flush() says the pause was long enough.
 */

export type Key =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'paste'; readonly text: string }
  | {
      readonly kind: 'key';
      /** `enter`, `tab`, `backspace`, `delete`, `escape`, `up`, `down`, `left`, `right`, `home`, `end`,
       * `pageup`, `pagedown`, `insert`, or the character for Ctrl/Alt combinations (`a`, `1`, `[`). */
      readonly name: string;
      readonly ctrl: boolean;
      readonly alt: boolean;
      readonly shift: boolean;
    };

const ESC = '\x1b';
const PASTE_END = '\x1b[201~';
/** Longer than any sequence we know: a runaway "sequence" is dropped rather than waited on for ever. */
const MAX_SEQUENCE = 32;

const CSI_FINAL_KEYS: Readonly<Record<string, string>> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
};

const TILDE_KEYS: Readonly<Record<string, string>> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
};

export function key(name: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean } = {}): Key {
  return { kind: 'key', name, ctrl: mods.ctrl ?? false, alt: mods.alt ?? false, shift: mods.shift ?? false };
}

export class KeyDecoder {
  private pending = '';
  private paste: string | null = null;

  /** True when a partial sequence is held: the caller should flush() after a short pause. */
  get waiting(): boolean {
    return this.pending !== '' && this.paste === null;
  }

  feed(chunk: string): Key[] {
    const keys: Key[] = [];
    let input = this.pending + chunk;
    this.pending = '';
    while (input.length > 0) {
      const used = this.paste === null ? this.decodeOne(input, keys) : this.pasteMore(input, keys);
      if (used === 0) {
        this.pending = input;
        break;
      }
      input = input.slice(used);
    }
    return mergeText(keys);
  }

  /** A pause after a lone ESC: it was the Escape key (or Alt pressed alone), not the start of a sequence. */
  flush(): Key[] {
    if (!this.waiting) return [];
    const held = this.pending;
    this.pending = '';
    return held === ESC ? [key('escape')] : [];
  }

  /** Decodes one key from the start of `input`; returns how many characters it used (0: incomplete). */
  private decodeOne(input: string, keys: Key[]): number {
    const first = input[0] ?? '';
    if (first !== ESC) return decodePlain(input, keys);
    if (input.length === 1) return 0;
    const second = input[1] ?? '';
    if (second === '[') return this.decodeCsi(input, keys);
    if (second === 'O') return decodeSs3(input, keys);
    if (second === ESC) {
      keys.push(key('escape'));
      return 1;
    }
    // Alt-<key>: ESC then the key (xterm's metaSendsEscape, the common default).
    const inner: Key[] = [];
    const used = decodePlain(input.slice(1), inner);
    const target = inner[0];
    if (target === undefined) return 1 + used;
    keys.push(withAlt(target));
    return 1 + used;
  }

  private decodeCsi(input: string, keys: Key[]): number {
    // ECMA-48 5.4: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte 0x40-0x7E.
    const match = /^\x1b\[([0-?]*)([ -/]*)([@-~])/.exec(input);
    if (match === null) {
      const incomplete = /^\x1b\[[0-?]*[ -/]*$/.test(input) && input.length <= MAX_SEQUENCE;
      return incomplete ? 0 : 2;
    }
    const params = (match[1] ?? '').split(';');
    const final = match[3] ?? '';
    if (final === '~' && params[0] === '200') this.paste = '';
    else {
      const decoded = csiKey(params, final);
      if (decoded !== null) keys.push(decoded);
    }
    return match[0].length;
  }

  private pasteMore(input: string, keys: Key[]): number {
    const end = input.indexOf(PASTE_END);
    if (end >= 0) {
      keys.push({ kind: 'paste', text: (this.paste ?? '') + input.slice(0, end) });
      this.paste = null;
      return end + PASTE_END.length;
    }
    // Keep a tail that may be the start of the end marker; everything before it is pasted text.
    const keep = partialSuffix(input, PASTE_END);
    this.paste = (this.paste ?? '') + input.slice(0, input.length - keep);
    if (keep === 0) return input.length;
    this.pending = input.slice(input.length - keep);
    return input.length;
  }
}

/** One key from text that does not start with ESC. */
function decodePlain(input: string, keys: Key[]): number {
  const codePoint = input.codePointAt(0) ?? 0;
  const length = codePoint > 0xffff ? 2 : 1;
  const char = input.slice(0, length);
  if (char === '\r' || char === '\n') keys.push(key('enter'));
  else if (char === '\t') keys.push(key('tab'));
  else if (char === '\x7f' || char === '\b') keys.push(key('backspace'));
  else if (char === '\x00') keys.push(key('space', { ctrl: true }));
  else if (codePoint < 0x20) keys.push(key(String.fromCharCode(codePoint + 0x60), { ctrl: true }));
  else if (codePoint >= 0x80 && codePoint <= 0x9f) {
    // An 8-bit C1 control from a confused terminal: never text.
  } else keys.push({ kind: 'text', text: char });
  return length;
}

function decodeSs3(input: string, keys: Key[]): number {
  if (input.length < 3) return 0;
  const name = CSI_FINAL_KEYS[input[2] ?? ''];
  if (name !== undefined) keys.push(key(name));
  return 3;
}

/** xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4). */
function modifiers(param: string | undefined): { shift: boolean; alt: boolean; ctrl: boolean } {
  const bits = Math.max(0, Number.parseInt(param ?? '1', 10) - 1) || 0;
  return { shift: (bits & 1) !== 0, alt: (bits & 2) !== 0, ctrl: (bits & 4) !== 0 };
}

function csiKey(params: readonly string[], final: string): Key | null {
  if (final === 'Z') return key('tab', { shift: true });
  const arrow = CSI_FINAL_KEYS[final];
  if (arrow !== undefined) return key(arrow, modifiers(params[1]));
  if (final === '~') {
    const name = TILDE_KEYS[params[0] ?? ''];
    return name === undefined ? null : key(name, modifiers(params[1]));
  }
  if (final === 'u') return csiUKey(params);
  return null;
}

/** The "CSI u" encoding (fixterms, kitty): `CSI code ; modifiers u`. */
function csiUKey(params: readonly string[]): Key | null {
  const code = Number.parseInt(params[0] ?? '', 10);
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) return null;
  const mods = modifiers(params[1]);
  const named: Readonly<Record<number, string>> = { 9: 'tab', 13: 'enter', 27: 'escape', 127: 'backspace' };
  const name = named[code] ?? String.fromCodePoint(code).toLowerCase();
  if (named[code] === undefined && !mods.ctrl && !mods.alt)
    return { kind: 'text', text: String.fromCodePoint(code) };
  return key(name, mods);
}

function withAlt(target: Key): Key {
  if (target.kind === 'key') return { ...target, alt: true };
  return key(target.text.toLowerCase(), { alt: true, shift: target.text !== target.text.toLowerCase() });
}

/** How many characters at the end of `text` are a proper prefix of `marker`. */
function partialSuffix(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length -= 1) {
    if (marker.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/** Adjacent text keys become one, so a fast typist or a terminal without bracketed paste costs one redraw. */
function mergeText(keys: readonly Key[]): Key[] {
  const out: Key[] = [];
  for (const item of keys) {
    const last = out.at(-1);
    if (item.kind === 'text' && last?.kind === 'text')
      out[out.length - 1] = { kind: 'text', text: last.text + item.text };
    else out.push(item);
  }
  return out;
}
