import { Box, Button, Group, Input, Text } from '@mantine/core';
import { IconEraser } from '@tabler/icons-react';
import { useEffect, useId, useImperativeHandle, useRef, useState, type PointerEvent as ReactPointerEvent, type Ref } from 'react';
import { SUCCESS_COLOR } from './colors.ts';

type Point = { x: number; y: number };

const HEIGHT = 180;
const INK = '#1a1b1e';
const LINE_WIDTH = 2.5;

/** The canvas's 2D context, set up to draw in CSS pixels at the screen's pixel density. */
function inkContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const ratio = canvas.width / Math.max(1, canvas.clientWidth);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = LINE_WIDTH;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  return ctx;
}

/** Draws all the strokes (in CSS pixels) again. */
function paint(canvas: HTMLCanvasElement, strokes: Point[][]) {
  const ctx = inkContext(canvas);
  if (!ctx) return;
  ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  for (const stroke of strokes) drawStroke(ctx, stroke, 0);
}

/** Draws a stroke from point `from` on (the whole stroke with 0; the newest segments while drawing). */
function drawStroke(ctx: CanvasRenderingContext2D, stroke: Point[], from: number) {
  if (stroke.length === 1) {
    ctx.beginPath();
    ctx.arc(stroke[0].x, stroke[0].y, LINE_WIDTH / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.beginPath();
  const start = stroke[Math.max(0, from - 1)];
  ctx.moveTo(start.x, start.y);
  for (let i = Math.max(1, from); i < stroke.length; i++) ctx.lineTo(stroke[i].x, stroke[i].y);
  ctx.stroke();
}

/** The signature as a PNG on white (so it reads on any background). */
function exportPng(canvas: HTMLCanvasElement): Promise<Blob | null> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

export interface SignaturePadHandle {
  /** the signature as a PNG on white, or null when nothing is drawn */
  toBlob(): Promise<Blob | null>;
}

/**
 * A box to sign in with a finger, a stylus or the mouse (pointer events). `ref` hands out the
 * drawing as a PNG; onSignedChange tells whether anything is drawn.
 */
export function SignaturePad({
  ref,
  label,
  description,
  required,
  error,
  disabled,
  onSignedChange,
}: {
  ref?: Ref<SignaturePadHandle>;
  label: string;
  /** how to sign; the pad adds how to start again and what to do when signing is not possible */
  description: string;
  required?: boolean;
  error?: string | null;
  disabled?: boolean;
  onSignedChange?: (signed: boolean) => void;
}) {
  const id = useId();
  const labelId = `${id}-label`;
  const helpId = `${id}-help`;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const current = useRef<{ pointerId: number; stroke: Point[] } | null>(null);
  const [signed, setSigned] = useState(false);

  useImperativeHandle(
    ref,
    () => ({
      toBlob: () => (strokes.current.length > 0 && canvasRef.current ? exportPng(canvasRef.current) : Promise.resolve(null)),
    }),
    [],
  );

  const markSigned = (value: boolean) => {
    setSigned(value);
    onSignedChange?.(value);
  };

  // Keep the canvas as sharp as the screen, and redraw the strokes when its size changes (rotation).
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const fit = () => {
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(canvas.clientWidth * ratio);
      const height = Math.round(canvas.clientHeight * ratio);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
        paint(canvas, strokes.current);
      }
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  const pointAt = (event: { clientX: number; clientY: number }): Point => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (disabled || current.current) return;
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const stroke = [pointAt(event)];
    current.current = { pointerId: event.pointerId, stroke };
    strokes.current.push(stroke);
    const ctx = inkContext(event.currentTarget);
    if (ctx) drawStroke(ctx, stroke, 0);
  };

  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const drawing = current.current;
    if (!drawing || drawing.pointerId !== event.pointerId) return;
    event.preventDefault();
    const from = drawing.stroke.length;
    const native = event.nativeEvent;
    const events = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    for (const e of events.length ? events : [native]) drawing.stroke.push(pointAt(e));
    const ctx = inkContext(event.currentTarget);
    if (ctx) drawStroke(ctx, drawing.stroke, from);
  };

  const finish = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const drawing = current.current;
    if (!drawing || drawing.pointerId !== event.pointerId) return;
    current.current = null;
    if (!signed) markSigned(true);
  };

  const clear = () => {
    strokes.current = [];
    current.current = null;
    if (canvasRef.current) paint(canvasRef.current, []);
    markSigned(false);
  };

  return (
    <Input.Wrapper
      label={label}
      labelElement="div"
      labelProps={{ id: labelId }}
      required={required}
      description={`${description} Use Clear signature to start again. If signing on the screen is not possible, say so in the notes.`}
      descriptionProps={{ id: helpId }}
      error={error}
    >
      <Box
        mt={6}
        pos="relative"
        bg="white"
        style={{
          border: `2px ${error ? 'solid var(--mantine-color-error)' : 'dashed var(--mantine-color-gray-5)'}`,
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
        }}
      >
        <canvas
          ref={canvasRef}
          role="img"
          aria-labelledby={labelId}
          aria-describedby={helpId}
          data-signed={signed ? 'true' : 'false'}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={finish}
          onPointerCancel={finish}
          style={{ display: 'block', width: '100%', height: HEIGHT, touchAction: 'none', cursor: disabled ? 'not-allowed' : 'crosshair' }}
        />
        {/* the line to sign on */}
        <Box
          aria-hidden
          pos="absolute"
          left={16}
          right={16}
          bottom={36}
          style={{ borderBottom: '1px solid var(--mantine-color-gray-5)', pointerEvents: 'none' }}
        />
        {!signed ? (
          <Text aria-hidden pos="absolute" left={16} bottom={10} size="sm" c="dimmed" style={{ pointerEvents: 'none' }}>
            Sign here
          </Text>
        ) : null}
      </Box>
      <Group justify="space-between" mt="xs" gap="sm">
        <Text size="sm" c={signed ? SUCCESS_COLOR : 'dimmed'} fw={500} aria-live="polite">
          {signed ? 'Signed' : 'Not signed yet'}
        </Text>
        <Button variant="default" leftSection={<IconEraser size={18} aria-hidden />} onClick={clear} disabled={!signed || disabled}>
          Clear signature
        </Button>
      </Group>
    </Input.Wrapper>
  );
}
