/**
 * Greens and reds dark enough for white text (and for text on white) at 4.5:1: Mantine's
 * green.8 and red.8 are lighter than that.
 */
export const SUCCESS_COLOR = '#2b7a3b';
export const DANGER_COLOR = 'red.9';
