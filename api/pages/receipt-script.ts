// The receipt page's own script: checks in the visitor's browser that a log entry is in the site's
// signed log, with WebCrypto only. It shares no code with the server's Merkle and signed-note modules
// (api/domain/merkle.ts, signed-note.ts) on purpose: a second, independent reading of RFC 9162 and C2SP
// signed-note, so a bug or a lie on the server side does not check itself.
//
// From the page's data attributes: the log's base URL and the entry index. It fetches the key, the
// checkpoint, the entry and its inclusion proof for the checkpoint's size, then:
// - the key: `<name>+<hex key id>+<base64(0x01 || Ed25519 public key)>`, the id being the first four
//   bytes of SHA-256(name || "\n" || 0x01 || key);
// - the checkpoint: its text is signed by that key (a signature line `— <name> base64(id || sig)`), and
//   names the key's origin, a size above the index and a root hash;
// - the entry: leaf hash SHA-256(0x00 || entry bytes), folded with the proof (RFC 9162 §2.1.3.2, inner
//   nodes SHA-256(0x01 || left || right)) must give that root.
import { createHash } from 'node:crypto';

const JS = `(() => {
  const box = document.querySelector('[data-receipt]');
  const status = document.getElementById('receipt-status');
  if (!box || !status || !window.crypto || !crypto.subtle) return;
  const d = box.dataset;
  const say = (text, kind) => {
    const line = document.createElement('p');
    line.className = 'status' + (kind ? ' ' + kind : '');
    line.id = 'receipt-result';
    line.dataset.result = kind || 'pending';
    line.textContent = text;
    status.replaceChildren(line);
  };
  const fill = (template, values) => template.replace(/\\{(\\w+)\\}/g, (m, k) => (k in values ? String(values[k]) : m));
  const fail = (reason) => { throw new Error(reason); };
  const utf8 = (s) => new TextEncoder().encode(s);
  const b64 = (s) => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) fail('malformed base64');
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  };
  const sha256 = async (...parts) => new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const get = async (path, as) => {
    const res = await fetch(d.base + path, { headers: { Accept: as === 'json' ? 'application/json' : 'text/plain' } });
    if (!res.ok) fail('the server answered ' + res.status + ' for ' + path);
    return as === 'json' ? res.json() : res.text();
  };

  const check = async () => {
    const index = Number(d.index);
    // The key.
    const keyText = String((await get('/key', 'json')).verifierKey || '');
    const k = /^([^+\\s]+)\\+([0-9a-f]{8})\\+([A-Za-z0-9+/=]+)$/.exec(keyText) || fail('malformed log key');
    const name = k[1];
    const keyBytes = b64(k[3]);
    if (keyBytes.length !== 33 || keyBytes[0] !== 1) fail('not an Ed25519 key');
    const publicKey = keyBytes.slice(1);
    const keyId = (await sha256(utf8(name + '\\n'), new Uint8Array([1]), publicKey)).slice(0, 4);
    if (!same(keyId, Uint8Array.from(k[2].match(/../g), (h) => parseInt(h, 16)))) fail('the key id does not match the key');

    // The checkpoint and its signature.
    const note = await get('/checkpoint', 'text');
    const split = note.lastIndexOf('\\n\\n');
    if (split < 0 || !note.endsWith('\\n')) fail('malformed checkpoint');
    const text = note.slice(0, split + 1);
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    let signed = false;
    for (const line of note.slice(split + 2, -1).split('\\n')) {
      const m = /^\\u2014 (\\S+) ([A-Za-z0-9+/=]+)$/.exec(line) || fail('malformed signature line');
      const raw = b64(m[2]);
      if (m[1] !== name || raw.length !== 68 || !same(raw.slice(0, 4), keyId)) continue;
      if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, raw.slice(4), utf8(text)))) fail('the checkpoint signature is not valid');
      signed = true;
    }
    if (!signed) fail('the checkpoint is not signed by the log key');
    const lines = text.split('\\n');
    if (lines.length < 4 || lines[0] !== name || !/^(0|[1-9][0-9]{0,15})$/.test(lines[1])) fail('malformed checkpoint');
    const size = Number(lines[1]);
    const root = b64(lines[2]);
    if (root.length !== 32) fail('malformed root hash');
    if (!(index < size)) fail('the checkpoint does not reach entry #' + index);

    // The entry and its inclusion proof for the checkpoint's size.
    const page = await get('/entries?start=' + index + '&end=' + (index + 1), 'json');
    const entry = (page.entries || []).find((e) => e.index === index) || fail('the entry is missing');
    if (typeof entry.data !== 'string') fail('malformed entry');
    const { proof } = await get('/proof/inclusion?index=' + index + '&size=' + size, 'json');
    if (!Array.isArray(proof)) fail('malformed proof');
    let r = await sha256(new Uint8Array([0]), utf8(entry.data));
    let fn = index, sn = size - 1;
    for (const p64 of proof) {
      const p = b64(String(p64));
      if (p.length !== 32 || sn === 0) fail('the proof does not match the checkpoint');
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(new Uint8Array([1]), p, r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await sha256(new Uint8Array([1]), r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0 || !same(r, root)) fail('the proof does not lead to the checkpoint root');
    // The entry shown by the server is the entry that was checked.
    if (d.entry && d.entry !== entry.data) fail('the page shows another entry than the log holds');
    return { index, size, key: name };
  };

  say(d.checking);
  check().then(
    (ok) => say(fill(d.checked, ok), 'saved'),
    (error) => say(fill(d.failed, { reason: error && error.message ? error.message : String(error) }), 'problem'),
  );
})();
`;

export const RECEIPT_JS = { body: JS, version: createHash('sha256').update(JS).digest('base64url').slice(0, 12) };
