import {
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type MantineTheme,
  type VariantColorsResolver,
} from '@mantine/core';
import { blend, readableOn } from '../lib/colors.ts';

/** The tint of a palette's filled shade at 12 % (a hovered light variant, a selected row) over the app's grey. */
const tinted = (theme: MantineTheme, filled: string) => blend(theme.colors.gray[1], filled, 0.12);

/**
 * Text on light, subtle and outline variants reads at 4.5:1 or better: it starts from the palette's
 * darkest shade (light, subtle: on its own tint) or its filled shade (outline: on the page, or on a
 * hovered or selected row) and is darkened further where that is not enough — green, teal, cyan and
 * the warm palettes are too light even at their darkest. Worked out once per colour and variant.
 */
const readableText = new Map<string, string>();
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || parsed.shade !== undefined || !['light', 'subtle', 'outline'].includes(input.variant)) return colors;
  const key = `${parsed.color}/${input.variant}`;
  let color = readableText.get(key);
  if (!color) {
    const palette = input.theme.colors[parsed.color];
    color =
      input.variant === 'outline'
        ? readableOn(palette[8], tinted(input.theme, input.theme.colors[input.theme.primaryColor][8]))
        : readableOn(palette[9], tinted(input.theme, palette[8]));
    readableText.set(key, color);
  }
  return { ...colors, color };
};

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 6 },
  autoContrast: true,
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"',
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  variantColorResolver,
  components: {
    Button: { defaultProps: { fw: 600 } },
    Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } },
    Modal: {
      defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45 }, closeButtonProps: { 'aria-label': 'Close' } },
    },
    Paper: { defaultProps: { withBorder: true } },
    // Without the focus placeholder a menu holds only its items and labels (ARIA's menu role); the
    // first item takes the focus when it opens.
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
      // Mantine greys a titled notification's text with gray.6, too faint on white.
      styles: { description: { color: 'var(--mantine-color-gray-8)' } },
    },
  },
});

/**
 * The default dimmed grey (gray.6), error red (red.6) and placeholder grey (gray.5) are too faint on
 * white, or the light grey of the app's main area, for small text; these read at 4.5:1 or better.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  // placeholders are text too: gray.5 reads at 2.1:1 on white, this grey at 5:1
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9], '--mantine-color-placeholder': '#6a7077' },
  dark: {},
});
