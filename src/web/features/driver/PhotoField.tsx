import { Box, FileInput, Image, Loader, Text } from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import { useEffect, useState } from 'react';

/** The server takes PNG, JPEG or WebP images of at most 2 MB. */
const MAX_BYTES = 2 * 1024 * 1024;
const ACCEPTED = ['image/png', 'image/jpeg', 'image/webp'];
/** Longest side of a photo after resizing: plenty for a proof of delivery, small on mobile data. */
const MAX_SIDE = 1600;
/** Photos up to this size are sent as taken. */
const SEND_AS_IS_BYTES = 600 * 1024;

const toBlob = (canvas: HTMLCanvasElement, type: string, quality: number) =>
  new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality));

/**
 * Makes a phone photo fit for upload: small ones go as they are; others (or other formats the
 * browser can read, such as HEIC on iPhones) are resized and saved as JPEG.
 */
export async function preparePhoto(file: File): Promise<Blob> {
  if (ACCEPTED.includes(file.type) && file.size <= SEND_AS_IS_BYTES) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error('This file could not be read as a picture. Take the photo again, or choose a JPEG or PNG image.');
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  for (const quality of [0.85, 0.7, 0.5]) {
    const blob = await toBlob(canvas, 'image/jpeg', quality);
    if (blob && blob.size <= MAX_BYTES) return blob;
  }
  throw new Error('The photo is too large to send. Take it again from a little farther away.');
}

/** Takes (or chooses) one photo, shows it, and hands over the image ready to upload. */
export function PhotoField({
  description,
  required,
  error,
  disabled,
  onChange,
}: {
  description: string;
  required?: boolean;
  error?: string | null;
  disabled?: boolean;
  onChange: (photo: Blob | null) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = async (next: File | null) => {
    setFile(next);
    setProblem(null);
    setPreview(null);
    onChange(null);
    if (!next) return;
    setPreparing(true);
    try {
      const photo = await preparePhoto(next);
      setPreview(URL.createObjectURL(photo));
      onChange(photo);
    } catch (err) {
      setFile(null);
      setProblem(err instanceof Error ? err.message : 'This photo cannot be used.');
    } finally {
      setPreparing(false);
    }
  };

  return (
    <Box>
      <FileInput
        label="Photo"
        description={description}
        placeholder="Take or choose a photo"
        accept="image/*"
        capture="environment"
        size="md"
        required={required}
        error={problem ?? error}
        disabled={disabled || preparing}
        value={file}
        onChange={(f) => void choose(f)}
        clearable
        clearButtonProps={{ 'aria-label': 'Remove the photo' }}
        leftSection={preparing ? <Loader size={16} aria-hidden /> : <IconCamera size={20} aria-hidden />}
      />
      {preview ? (
        <Box mt="xs">
          <Image src={preview} alt="The photo you took" radius="md" mah={240} fit="contain" bg="gray.1" />
          <Text size="xs" c="dimmed" mt={4}>
            Tap the field again to take another photo.
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
