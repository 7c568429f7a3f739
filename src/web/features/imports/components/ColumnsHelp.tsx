import { Accordion, Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError } from '../../../lib/notify.ts';
import { downloadTemplate, IMPORT_COLUMNS, MAX_IMPORT_ROWS, REQUIRED_COLUMNS } from '../lib/csv-template.ts';

/** What the file must look like, every column it may have, and a template to start from. */
export function ColumnsHelp() {
  const { timeZone } = useFormatters();

  const onDownload = () => {
    try {
      downloadTemplate(timeZone);
    } catch (error) {
      notifyError(error, 'Could not create the template');
    }
  };

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="import-help-title" h="100%">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="import-help-title">
          What the file looks like
        </Title>
        <Text size="sm">
          A CSV file, as a spreadsheet saves it (comma- or semicolon-separated). The first line names the columns; every
          further line is one order. At most {MAX_IMPORT_ROWS.toLocaleString()} orders per file.
        </Text>
        <Text size="sm">
          Required columns:{' '}
          {REQUIRED_COLUMNS.map((c, i) => (
            <span key={c}>
              {i > 0 ? ', ' : ''}
              <Code>{c}</Code>
            </span>
          ))}
          . Dates and times are ISO 8601, e.g. <Code>2026-05-04T09:00:00+02:00</Code>.
        </Text>
        <Text size="sm">
          Give each order a <Code>reference</Code>, such as your order or invoice number.
        </Text>
        <Group>
          <Button variant="light" leftSection={<IconDownload size={16} aria-hidden />} onClick={onDownload}>
            Download a template
          </Button>
        </Group>
        <Accordion variant="contained" radius="md" chevronPosition="right">
          <Accordion.Item value="columns">
            <Accordion.Control>All {IMPORT_COLUMNS.length} columns</Accordion.Control>
            <Accordion.Panel>
              <Table verticalSpacing={4} fz="sm" aria-label="Columns of the file">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Column</Table.Th>
                    <Table.Th scope="col">Meaning</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {IMPORT_COLUMNS.map((c) => (
                    <Table.Tr key={c.name}>
                      <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                        <Code>{c.name}</Code>
                      </Table.Td>
                      <Table.Td>
                        {c.meaning}
                        {c.required ? (
                          <Badge ml={6} size="xs" variant="light" color="red" tt="none">
                            Required
                          </Badge>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="xs">
                Column names may be in any case, with spaces or dashes instead of underscores. Other columns are ignored.
              </Text>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      </Stack>
    </Paper>
  );
}
