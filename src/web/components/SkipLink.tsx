import { Anchor } from '@mantine/core';
import { useState, type CSSProperties } from 'react';

/** The id of each layout's main area, which the skip link moves the focus to. */
export const MAIN_CONTENT_ID = 'main-content';

const hidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  border: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};

const shown: CSSProperties = {
  position: 'fixed',
  top: 8,
  left: 8,
  zIndex: 1000,
  padding: '8px 14px',
  background: 'var(--mantine-color-body)',
  borderRadius: 'var(--mantine-radius-md)',
  boxShadow: 'var(--mantine-shadow-md)',
};

/**
 * The first stop of the Tab key on every page: it jumps past the header and the navigation to the
 * page itself (WCAG 2.4.1), and is hidden until it has the focus.
 */
export function SkipLink() {
  const [focused, setFocused] = useState(false);
  return (
    <Anchor
      href={`#${MAIN_CONTENT_ID}`}
      fw={600}
      underline="always"
      style={focused ? shown : hidden}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onClick={(e) => {
        e.preventDefault();
        document.getElementById(MAIN_CONTENT_ID)?.focus();
      }}
    >
      Skip to main content
    </Anchor>
  );
}
