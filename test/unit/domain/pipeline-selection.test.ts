import { describe, expect, it } from 'vitest';
import {
  expandVariables,
  NoPipelinesConfiguredError,
  PipelinesConfigError,
  parsePipelinesConfig,
  pipelineBasename,
  selectPipelines,
} from '../../../service/domain/pipeline-selection';

const env = { PROMPT_PROCESSING_DIR: '/app' };
const prodLike = `
- survey: BLOCK-365
  ra: {min: 340, max: 20}
  coord-type: boresight
  pipelines: ['\${PROMPT_PROCESSING_DIR}/pipelines/LSSTCam/ApPipe.yaml', $PROMPT_PROCESSING_DIR/pipelines/LSSTCam/SingleFrame.yaml]
- survey: BLOCK-365
  dec: {min: -90, max: -30}
  pipelines: [/app/pipelines/LSSTCam/Isr.yaml]
- {survey: BLOCK-T250, pipelines: []}
- survey: CAL
  pipelines: null
- pipelines: [/app/pipelines/LSSTCam/Isr.yaml]
`;

describe('pipelines config', () => {
  const config = parsePipelinesConfig(prodLike, env);

  it('expands variables and keeps the fallback order', () => {
    expect(config[0]?.pipelines).toEqual([
      '/app/pipelines/LSSTCam/ApPipe.yaml',
      '/app/pipelines/LSSTCam/SingleFrame.yaml',
    ]);
    expect(config[0]?.coordType).toBe('boresight');
    expect(config[1]?.coordType).toBe('detector');
  });

  it('picks the first matching node, with RA wrapping through 0', () => {
    const pick = (ra: number, dec: number, survey = 'BLOCK-365') =>
      selectPipelines(config, { survey, boresight: [ra, dec], detectorCenter: [ra, dec] }).map(
        pipelineBasename,
      );
    expect(pick(350, 0)).toEqual(['ApPipe', 'SingleFrame']);
    expect(pick(10, 0)).toEqual(['ApPipe', 'SingleFrame']);
    expect(pick(-5, 0)).toEqual(['ApPipe', 'SingleFrame']);
    expect(pick(100, -45)).toEqual(['Isr']);
    expect(pick(100, 10)).toEqual(['Isr']); // falls through to the catch-all
    expect(pick(100, 10, 'BLOCK-T250')).toEqual([]);
    expect(pick(100, 10, 'CAL')).toEqual([]);
  });

  it('tests the detector centre or the boresight as each node says', () => {
    const visit = { survey: 'BLOCK-365', boresight: [100, 0] as const, detectorCenter: [100, -45] as const };
    expect(selectPipelines(config, visit).map(pipelineBasename)).toEqual(['Isr']);
    expect(selectPipelines(config, { ...visit, boresight: [0, 0] as const }).map(pipelineBasename)).toEqual([
      'ApPipe',
      'SingleFrame',
    ]);
  });

  it('never matches a spatial node without a position', () => {
    expect(selectPipelines(config, { survey: 'BLOCK-365' }).map(pipelineBasename)).toEqual(['Isr']);
  });

  it('fails when no node matches, saying to add a catch-all', () => {
    const narrow = parsePipelinesConfig('- {survey: A, pipelines: [a.yaml]}');
    expect(() => selectPipelines(narrow, { survey: 'B' })).toThrow(NoPipelinesConfiguredError);
    expect(() => selectPipelines(narrow, { survey: 'B' })).toThrow(/add a catch-all node/);
  });

  it.each([
    ['not YAML', '- [unclosed', /not valid YAML/],
    ['not a list', 'pipelines: [a.yaml]', /non-empty YAML list/],
    ['an empty list', '[]', /non-empty YAML list/],
    ['an unknown key', '- {surveys: A, pipelines: [a.yaml]}', /node 0: .*surveys/],
    ['a string range', "- {ra: {min: '1', max: 2}, pipelines: [a.yaml]}", /node 0: ra.min/],
    ['no pipelines key', '- {survey: A}', /node 0: pipelines/],
    ['a repeated basename', '- {pipelines: [x/ApPipe.yaml, y/ApPipe.yaml]}', /two pipelines named ApPipe/],
    [
      'an inverted dec range',
      '- {dec: {min: 10, max: -10}, pipelines: [a.yaml]}',
      /dec min \(10\) is above max/,
    ],
    ['a crowding map', '- {binary-map: m.fits, pipelines: [a.yaml]}', /binary-map .* not supported/],
    ['an unset variable', '- {pipelines: [$NOPE/a.yaml]}', /\$NOPE, which is not set/],
  ])('fails on %s', (_what, text, reason) => {
    expect(() => parsePipelinesConfig(text, env)).toThrow(PipelinesConfigError);
    expect(() => parsePipelinesConfig(text, env)).toThrow(reason);
  });

  it('expands both variable spellings', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${VAR} form under test
    expect(expandVariables('$A/${B}x', { A: '1', B: '2' })).toBe('1/2x');
  });
});
