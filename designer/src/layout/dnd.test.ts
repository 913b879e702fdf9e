import { describe, expect, it } from 'vitest';
import { dropsAfter, pointerOf } from './dnd.js';

const rect = (left: number, top: number, width: number, height: number) => ({ left, top, width, height, right: left + width, bottom: top + height });

describe('drop side', () => {
  const over = rect(100, 100, 200, 60);
  it('is decided horizontally in a grid and vertically in one column', () => {
    expect(dropsAfter({ x: 150, y: 155 }, over, 2)).toBe(false);
    expect(dropsAfter({ x: 250, y: 105 }, over, 2)).toBe(true);
    expect(dropsAfter({ x: 250, y: 105 }, over, 1)).toBe(false);
    expect(dropsAfter({ x: 150, y: 155 }, over, 1)).toBe(true);
  });
});

describe('pointer during a drag', () => {
  it('is the dragged rect plus where in it the pointer went down (page scroll does not count twice)', () => {
    const down = { clientX: 130, clientY: 215 } as unknown as Event;
    expect(pointerOf(down, rect(100, 200, 80, 30), rect(400, 650, 80, 30))).toEqual({ x: 430, y: 665 });
  });
  it('is the centre of the dragged rect for the keyboard', () => {
    expect(pointerOf(new Event('keydown'), rect(0, 0, 10, 10), rect(400, 650, 80, 30))).toEqual({ x: 440, y: 665 });
    expect(pointerOf(null, null, null)).toBeNull();
  });
});
