/**
 * Generates the Teams app icons in appPackage/:
 *  - color.png   192x192, brand-blue rounded square with a white speech bubble;
 *  - outline.png 32x32, the same bubble in white on a fully transparent background
 *    (Teams requires a single white foreground for the outline icon).
 * Run: `npx tsx scripts/make-icons.ts`. The output is deterministic, and test/infra checks that
 * the committed PNGs match what this script renders.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

export const BRAND_BLUE: Rgb = [0x0f, 0x6c, 0xbd];
const WHITE: Rgb = [255, 255, 255];
/** Samples per axis per pixel for anti-aliased edges. */
const SUPERSAMPLE = 4;

/** Point inside a rounded rectangle (all coordinates in unit space 0..1). */
function inRoundedRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Point inside the triangle (a, b, c) by the sign of the three edge functions. */
function inTriangle(
  x: number,
  y: number,
  a: [number, number],
  b: [number, number],
  c: [number, number],
): boolean {
  const edge = (p: [number, number], q: [number, number]) =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = edge(a, b);
  const d2 = edge(b, c);
  const d3 = edge(c, a);
  const hasNeg = d1 < 0 || d2 < 0 || d3 < 0;
  const hasPos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(hasNeg && hasPos);
}

/** The speech bubble glyph (body + tail) minus three "typing" dots, in unit space. */
function inBubble(x: number, y: number): boolean {
  const body = inRoundedRect(x, y, 0.14, 0.18, 0.86, 0.68, 0.12);
  const tail = inTriangle(x, y, [0.26, 0.6], [0.46, 0.6], [0.22, 0.86]);
  if (!body && !tail) return false;
  const dotR = 0.065;
  for (const cx of [0.32, 0.5, 0.68]) {
    if ((x - cx) ** 2 + (y - 0.43) ** 2 <= dotR * dotR) return false;
  }
  return true;
}

/** Fraction of the pixel (px, py) covered by a shape, by supersampling. */
function coverage(px: number, py: number, size: number, inside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy++) {
    for (let sx = 0; sx < SUPERSAMPLE; sx++) {
      const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
      const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
      if (inside(x, y)) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

function setPixel(png: PNG, x: number, y: number, rgb: Rgb, alpha: number): void {
  const i = (png.width * y + x) << 2;
  png.data[i] = rgb[0];
  png.data[i + 1] = rgb[1];
  png.data[i + 2] = rgb[2];
  png.data[i + 3] = Math.round(alpha * 255);
}

/** 192x192 full-colour icon: white bubble on an opaque brand-blue rounded square. */
export function renderColorIcon(size = 192): PNG {
  const png = new PNG({ width: size, height: size });
  const inBackground = (x: number, y: number) => inRoundedRect(x, y, 0, 0, 1, 1, 0.18);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bg = coverage(x, y, size, inBackground);
      const fg = coverage(x, y, size, inBubble);
      // Blend white over blue by glyph coverage; the square's own edge sets the alpha.
      const rgb: Rgb = [0, 1, 2].map((c) =>
        Math.round(BRAND_BLUE[c] * (1 - fg) + WHITE[c] * fg),
      ) as unknown as Rgb;
      setPixel(png, x, y, rgb, bg);
    }
  }
  return png;
}

/** 32x32 outline icon: white glyph, everything else fully transparent. */
export function renderOutlineIcon(size = 32): PNG {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      setPixel(png, x, y, WHITE, coverage(x, y, size, inBubble));
    }
  }
  return png;
}

export function writeIcons(outDir: string): string[] {
  const files: Array<[string, PNG]> = [
    ['color.png', renderColorIcon()],
    ['outline.png', renderOutlineIcon()],
  ];
  return files.map(([name, png]) => {
    const path = join(outDir, name);
    writeFileSync(path, PNG.sync.write(png));
    return path;
  });
}

if (require.main === module) {
  const written = writeIcons(join(__dirname, '..', 'appPackage'));
  for (const path of written) console.log(`wrote ${path}`);
}
