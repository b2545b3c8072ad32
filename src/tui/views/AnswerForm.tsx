/** The answer form for an operator question: options to pick, or free text. */
import { memo } from 'react';
import { Box } from 'ink';
import type { Question } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { ContextLines, type StreamContext } from './ContextLines.js';

export interface AnswerFormProps {
  question: Question;
  cursor: number;
  picked: number[];
  typing: boolean;
  text: string;
  /** The asking agent's last stream lines, shown under the form. */
  context?: StreamContext;
  width: number;
  height: number;
  theme: Theme;
}

/** The form; options are numbered so 1–9 pick them (the footer lists the form's keys). */
export const AnswerForm = memo(function AnswerForm({ question, cursor, picked, typing, text, context, width, height, theme }: AnswerFormProps) {
  const rows: Segment[][] = [
    [{ text: `answer question #${question.id} from ${question.asker}`, bold: true, tone: 'accent' }],
    ...question.question.split('\n').slice(0, 6).map((l) => [{ text: l }] as Segment[]),
    [{ text: ' ' }],
  ];
  question.options.forEach((o, i) => {
    const mark = question.multi ? (picked.includes(i) ? '[x] ' : '[ ] ') : picked.includes(i) || (!typing && i === cursor) ? '(•) ' : '( ) ';
    rows.push([{ text: `${!typing && i === cursor ? '›' : ' '} ${i + 1}. ${mark}`, bold: i === cursor }, { text: o.replace(/\n/g, ' ') }]);
  });
  if (typing) rows.push([{ text: 'free text: ', tone: 'accent', bold: true }, { text: `[${text}▏]` }]);
  const contextRows = context ? Math.min(8, height - rows.length - 1) : 0;
  return (
    <Box flexDirection="column" height={height}>
      {rows.slice(0, height).map((segs, i) => (
        <Line key={i} theme={theme} segments={segs} />
      ))}
      {context && contextRows > 1 ? <Box marginTop={1}><ContextLines context={context} rows={contextRows} width={width} theme={theme} /></Box> : null}
    </Box>
  );
});
