// Draws images/icon.png (128x128): a white shield with a check mark on Kubernetes blue. Run once; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const inPolygon = (x, y, points) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
// The shield: a pointed top, straight sides, and two curves meeting at the bottom.
const bezier = ([ax, ay], [cx, cy], [bx, by]) => Array.from({ length: 21 }, (_, i) => {
  const t = i / 20;
  return [(1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t ** 2 * bx, (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t ** 2 * by];
});
const shield = [[64, 14], [104, 28], [104, 62], ...bezier([104, 62], [102, 98], [64, 114]), ...bezier([64, 114], [26, 98], [24, 62]), [24, 28]];
const distanceToSegment = (px, py, [ax, ay], [bx, by]) => {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
};
const check = [[44, 64], [58, 78], [86, 48]];
const roundedSquare = (x, y) => {
  const r = 24;
  const cx = Math.min(Math.max(x, r), size - r);
  const cy = Math.min(Math.max(y, r), size - r);
  return Math.hypot(x - cx, y - cy) <= r;
};
const pixels = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) {
  pixels[y * (size * 4 + 1)] = 0;
  for (let x = 0; x < size; x++) {
    let bg = 0;
    let white = 0;
    let blue = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
      const px = x + (sx + 0.5) / 4;
      const py = y + (sy + 0.5) / 4;
      if (!roundedSquare(px, py)) continue;
      bg++;
      const onCheck = distanceToSegment(px, py, check[0], check[1]) < 6 || distanceToSegment(px, py, check[1], check[2]) < 6;
      if (onCheck && inPolygon(px, py, shield)) blue++;
      else if (inPolygon(px, py, shield)) white++;
    }
    const o = y * (size * 4 + 1) + 1 + x * 4;
    const k = 16;
    const b = bg - white - blue;
    pixels[o] = Math.round((white * 255 + (b + blue) * 0x32) / Math.max(1, bg));
    pixels[o + 1] = Math.round((white * 255 + (b + blue) * 0x6c) / Math.max(1, bg));
    pixels[o + 2] = Math.round((white * 255 + (b + blue) * 0xe5) / Math.max(1, bg));
    pixels[o + 3] = Math.round((255 * bg) / k);
  }
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8;
header[9] = 6;
writeFileSync('images/icon.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]));
