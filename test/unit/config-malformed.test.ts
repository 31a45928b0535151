/**
 * Malformed configurations (INI, JSON, YAML): each gives a ConfigError that names the file and
 * the line (INI, syntax errors) or the path (dictConfig), and leaves the running configuration
 * exactly as it was — same handlers attached, still open, still writing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ConfigError,
  type FileHandler,
  configure,
  fileConfig,
  getCurrentConfig,
  getLiveHandlers,
  getLogger,
  getRootLogger,
} from '../../src/index.js';

interface Case {
  name: string;
  ext: 'conf' | 'json' | 'yaml';
  text: string;
  /** Expected line (INI/syntax errors); `null`: the file only (e.g. a missing section). */
  line?: number | null;
  /** Expected path (dictConfig). */
  path?: string;
  /** Expected words in the message. */
  match?: RegExp;
}

const INI_HEAD =
  '[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[logger_root]\nlevel=INFO\nhandlers=h\n';
// line numbers below count from 1: INI_HEAD is 9 lines, so the next section header is line 10.
const ini = (handler: string, formatter = '[formatter_f]\nformat=%(message)s\n') => INI_HEAD + handler + formatter;
const H = (body: string) => `[handler_h]\n${body}`;

const cases: Case[] = [
  // --- INI: structure ---
  { name: 'empty INI file', ext: 'conf', text: '', line: null, match: /empty file/ },
  {
    name: 'UTF-8 BOM',
    ext: 'conf',
    text: '\ufeff' + ini(H('class=StreamHandler\n')),
    line: 1,
    match: /byte order mark/,
  },
  {
    name: 'text before any section',
    ext: 'conf',
    text: 'keys=root\n' + ini(H('class=StreamHandler\n')),
    line: 1,
    match: /no section headers/,
  },
  {
    name: 'missing [formatters]',
    ext: 'conf',
    text: '[loggers]\nkeys=root\n[handlers]\nkeys=\n[logger_root]\nhandlers=\n',
    line: null,
    match: /missing section \[formatters\]/,
  },
  {
    name: 'missing [handlers]',
    ext: 'conf',
    text: '[loggers]\nkeys=root\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n',
    line: null,
    match: /missing section \[handlers\]/,
  },
  {
    name: 'missing [loggers]',
    ext: 'conf',
    text: '[handlers]\nkeys=\n[formatters]\nkeys=\n',
    line: null,
    match: /missing section \[loggers\]/,
  },
  {
    name: 'section names are case-sensitive',
    ext: 'conf',
    text: '[Loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n',
    line: null,
    match: /\[loggers\]/,
  },
  {
    name: '[loggers] without keys',
    ext: 'conf',
    text: '[formatters]\nkeys=\n[handlers]\nkeys=\n[loggers]\nkey=root\n',
    line: 5,
    match: /no 'keys' option/,
  },
  {
    name: 'loggers without root',
    ext: 'conf',
    text: '[loggers]\nkeys=app\n[handlers]\nkeys=\n[formatters]\nkeys=\n',
    line: 2,
    match: /must include root/,
  },
  {
    name: 'no [logger_root]',
    ext: 'conf',
    text: '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n',
    line: 2,
    match: /logger_root/,
  },
  {
    name: 'handler section missing',
    ext: 'conf',
    text: INI_HEAD + '[formatter_f]\nformat=%(message)s\n',
    line: 4,
    match: /\[handler_h\]/,
  },
  {
    name: 'formatter section missing',
    ext: 'conf',
    text: INI_HEAD + H('class=StreamHandler\n'),
    line: 6,
    match: /\[formatter_f\]/,
  },
  {
    name: 'trailing comma in keys',
    ext: 'conf',
    text: INI_HEAD.replace('keys=h\n', 'keys=h,\n') + H('class=StreamHandler\n') + '[formatter_f]\n',
    line: 4,
    match: /handler_'/,
  },
  {
    name: 'logger without qualname',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')).replace('keys=root\n', 'keys=root,app\n') + '[logger_app]\nhandlers=h\n',
    line: 14,
    match: /qualname/,
  },
  {
    name: 'logger without handlers',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')).replace('keys=root\n', 'keys=root,app\n') + '[logger_app]\nqualname=app\n',
    line: 14,
    match: /'handlers'/,
  },
  {
    name: 'root without handlers',
    ext: 'conf',
    text: '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=INFO\n',
    line: 7,
    match: /'handlers'/,
  },
  { name: 'handler without class', ext: 'conf', text: ini(H('args=()\n')), line: 10, match: /'class'/ },
  {
    name: 'duplicate section',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')) + '[handler_h]\n',
    line: 14,
    match: /already exists/,
  },
  {
    name: 'duplicate option after lower-casing',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nClass=FileHandler\n')),
    line: 12,
    match: /option 'class'/,
  },
  {
    name: 'a line that is not name = value',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nthis is not an option\n')),
    line: 12,
    match: /parsing errors/,
  },
  { name: 'truncated INI', ext: 'conf', text: INI_HEAD + '[handler_h]\nclass', line: 11, match: /parsing errors/ },
  {
    name: 'logger refers to an unknown handler',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')).replace('handlers=h\n', 'handlers=h,nope\n'),
    line: 9,
    match: /'nope'/,
  },
  {
    name: 'handler refers to an unknown formatter',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nformatter=nope\n')),
    line: 12,
    match: /formatter 'nope'/,
  },
  {
    name: 'MemoryHandler target unknown',
    ext: 'conf',
    text: ini(H('class=handlers.MemoryHandler\nargs=(10,)\ntarget=nope\n')),
    line: 13,
    match: /target 'nope'/,
  },
  // --- INI: classes ---
  {
    name: 'unknown handler class',
    ext: 'conf',
    text: ini(H('class=NoSuchHandler\n')),
    line: 11,
    match: /No module named 'NoSuchHandler'/,
  },
  {
    name: 'bare RotatingFileHandler',
    ext: 'conf',
    text: ini(H("class=RotatingFileHandler\nargs=('a.log',)\n")),
    line: 11,
    match: /No module named 'RotatingFileHandler'/,
  },
  {
    name: 'unsupported SMTPHandler',
    ext: 'conf',
    text: ini(H('class=handlers.SMTPHandler\n')),
    line: 11,
    match: /not supported/,
  },
  {
    name: 'handlers.StreamHandler (not in logging.handlers)',
    ext: 'conf',
    text: ini(H('class=handlers.StreamHandler\n')),
    line: 11,
    match: /No module named 'handlers'/,
  },
  {
    name: 'a formatter class as handler',
    ext: 'conf',
    text: ini(H('class=logging.Formatter\n')),
    line: 11,
    match: /not a handler/,
  },
  {
    name: 'bare Formatter as formatter class',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n'), '[formatter_f]\nformat=%(message)s\nclass=Formatter\n'),
    line: 14,
    match: /No module named 'Formatter'/,
  },
  // --- INI: levels, propagate ---
  {
    name: 'unknown level',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')).replace('level=INFO', 'level=loud'),
    line: 8,
    match: /Unknown level: 'loud'/,
  },
  {
    name: 'numeric level',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')).replace('level=INFO', 'level=10'),
    line: 8,
    match: /Unknown level: '10'/,
  },
  {
    name: 'level with inline comment',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n')).replace('level=INFO', 'level=INFO ; quieter'),
    line: 8,
    match: /INFO ; quieter/,
  },
  {
    name: 'handler level logging.DEBUG',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nlevel=logging.DEBUG\n')),
    line: 12,
    match: /Unknown level/,
  },
  {
    name: 'propagate=yes',
    ext: 'conf',
    text:
      ini(H('class=StreamHandler\n')).replace('keys=root\n', 'keys=root,app\n') +
      '[logger_app]\nhandlers=\nqualname=app\npropagate=yes\n',
    line: 17,
    match: /invalid literal for int/,
  },
  // --- INI: args / kwargs ---
  {
    name: '(sys.stdout) is not a tuple',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nargs=(sys.stdout)\n')),
    line: 12,
    match: /not a tuple/,
  },
  {
    name: 'args with a function call',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=(os.path.join('a', 'b'),)\n")),
    line: 12,
    match: /not evaluated/,
  },
  {
    name: 'args with an unknown name',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nargs=(sys.argv,)\n')),
    line: 12,
    match: /not allowed/,
  },
  {
    name: 'args truncated',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('app.log', 'a'\n")),
    line: 12,
    match: /never closed/,
  },
  {
    name: 'args unterminated string',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('app.log,)\n")),
    line: 12,
    match: /unterminated/,
  },
  {
    name: 'too many args for StreamHandler',
    ext: 'conf',
    text: ini(H('class=StreamHandler\nargs=(sys.stdout, sys.stderr)\n')),
    line: 12,
    match: /takes from 1 to 2 positional arguments but 3 were given/,
  },
  {
    name: 'FileHandler without filename',
    ext: 'conf',
    text: ini(H('class=FileHandler\nargs=()\n')),
    line: 12,
    match: /missing 1 required positional argument: 'filename'/,
  },
  {
    name: 'kwargs with an unknown keyword',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('a.log',)\nkwargs={'colour': True}\n")),
    line: 12,
    match: /unexpected keyword argument 'colour'/,
  },
  {
    name: 'kwargs not a dict',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('a.log',)\nkwargs=('x',)\n")),
    line: 13,
    match: /mapping/,
  },
  {
    name: 'wrong type: maxBytes as a string',
    ext: 'conf',
    text: ini(H("class=handlers.RotatingFileHandler\nargs=('a.log', 'a', '10MB')\n")),
    line: 12,
    match: /maxBytes must be a number/,
  },
  {
    name: 'huge integer',
    ext: 'conf',
    text: ini(H("class=handlers.RotatingFileHandler\nargs=('a.log', 'a', 99999999999999999999999999)\n")),
    line: 12,
    match: /too large/,
  },
  {
    name: 'huge repeated string',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('x' * 100000000,)\n")),
    line: 12,
    match: /too long/,
  },
  {
    name: 'interpolation key missing',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('%(here)s/a.log',)\n")),
    line: 12,
    match: /interpolation key 'here'/,
  },
  {
    name: 'bare % in args',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('100%.log',)\n")),
    line: 12,
    match: /'%' must be followed by/,
  },
  {
    name: 'interpolation loop',
    ext: 'conf',
    text: '[DEFAULT]\na=%(b)s\nb=%(a)s\n' + ini(H('class=StreamHandler\nlevel=%(a)s\n')),
    line: 15,
    match: /Recursion limit/,
  },
  {
    name: 'file handler into a missing directory',
    ext: 'conf',
    text: ini(H("class=FileHandler\nargs=('no/such/dir/x.log',)\n")),
    line: 12,
    match: /no\/such\/dir/,
  },
  // --- INI: formatters ---
  {
    name: 'invalid % format',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n'), '[formatter_f]\nformat=hello\n'),
    line: 13,
    match: /Invalid format 'hello'/,
  },
  {
    name: "style '%' in quotes",
    ext: 'conf',
    text: ini(H('class=StreamHandler\n'), "[formatter_f]\nformat=%(message)s\nstyle='%'\n"),
    line: 13,
    match: /style/,
  },
  {
    name: 'invalid { format',
    ext: 'conf',
    text: ini(H('class=StreamHandler\n'), '[formatter_f]\nformat={message!x}\nstyle={\n'),
    line: 13,
    match: /format/,
  },
  {
    name: 'args nested absurdly deep',
    ext: 'conf',
    text: ini(H(`class=StreamHandler\nargs=${'('.repeat(100000)}${')'.repeat(100000)}\n`)),
    line: 12,
    match: /nested more than 100 levels/,
  },
  // --- JSON ---
  { name: 'empty JSON file', ext: 'json', text: '', line: null, match: /empty file/ },
  {
    name: 'truncated JSON',
    ext: 'json',
    text: '{\n  "version": 1,\n  "handlers": {\n',
    line: 4,
    match: /invalid JSON/,
  },
  { name: 'JSON trailing comma', ext: 'json', text: '{\n  "version": 1,\n}\n', line: 3, match: /invalid JSON/ },
  { name: 'JSON array at top level', ext: 'json', text: '[1, 2]', path: '', match: /must be a mapping/ },
  { name: 'JSON without version', ext: 'json', text: '{"handlers": {}}', path: '', match: /doesn't specify a version/ },
  {
    name: 'JSON version as a string',
    ext: 'json',
    text: '{"version": "1"}',
    path: 'version',
    match: /Unsupported version/,
  },
  { name: 'JSON version 2', ext: 'json', text: '{"version": 2}', path: 'version', match: /Unsupported version: 2/ },
  {
    name: 'JSON handlers as a list',
    ext: 'json',
    text: '{"version": 1, "handlers": [{"class": "logging.StreamHandler"}]}',
    path: 'handlers',
    match: /mapping/,
  },
  {
    name: 'JSON handler without class',
    ext: 'json',
    text: '{"version": 1, "handlers": {"console": {"level": "INFO"}}}',
    path: 'handlers.console',
    match: /no 'class'/,
  },
  {
    name: 'JSON unknown class',
    ext: 'json',
    text: '{"version": 1,\n "handlers": {"console": {"class": "logging.handlers.Nope"}}}',
    path: 'handlers.console.class',
    match: /Nope/,
  },
  {
    name: 'JSON bare class name',
    ext: 'json',
    text: '{"version": 1, "handlers": {"console": {"class": "StreamHandler"}}}',
    path: 'handlers.console.class',
    match: /No module named 'StreamHandler'/,
  },
  {
    name: 'JSON class is a number',
    ext: 'json',
    text: '{"version": 1, "handlers": {"console": {"class": 42}}}',
    path: 'handlers.console.class',
    match: /dotted name/,
  },
  {
    name: 'JSON unknown handler kwarg',
    ext: 'json',
    text: '{"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "a.log", "rotate": true}}}',
    path: 'handlers.f.rotate',
    match: /unexpected keyword argument 'rotate'/,
  },
  {
    name: 'JSON kwarg that is not an identifier',
    ext: 'json',
    text: '{"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "file-name": "a.log"}}}',
    path: 'handlers.f.file-name',
    match: /Not a valid Python identifier/,
  },
  {
    name: 'JSON bad handler level',
    ext: 'json',
    text: '{"version": 1, "handlers": {"f": {"class": "logging.NullHandler", "level": "LOUD"}}}',
    path: 'handlers.f.level',
    match: /Unknown level: 'LOUD'/,
  },
  {
    name: 'JSON level as float',
    ext: 'json',
    text: '{"version": 1, "root": {"level": 10.5}}',
    path: 'root.level',
    match: /Level not an integer/,
  },
  {
    name: 'JSON logger handler unknown',
    ext: 'json',
    text: '{"version": 1, "loggers": {"app": {"handlers": ["console"]}}}',
    path: 'loggers.app.handlers[0]',
    match: /Unable to add handler 'console'/,
  },
  {
    name: 'JSON handlers as a string',
    ext: 'json',
    text: '{"version": 1, "handlers": {"console": {"class": "logging.NullHandler"}}, "root": {"handlers": "console"}}',
    path: 'root.handlers',
    match: /list of ids/,
  },
  {
    name: 'JSON formatter style',
    ext: 'json',
    text: '{"version": 1, "formatters": {"f": {"format": "%(message)s", "style": "#"}}}',
    path: 'formatters.f.format',
    match: /Unable to configure formatter 'f'/,
  },
  {
    name: 'JSON { format invalid',
    ext: 'json',
    text: '{"version": 1, "formatters": {"f": {"format": "{message", "style": "{"}}}',
    path: 'formatters.f.format',
    match: /Unable to configure formatter/,
  },
  {
    name: 'JSON cfg:// cycle',
    ext: 'json',
    text: '{"version": 1, "a": "cfg://b", "b": "cfg://a", "handlers": {"f": {"class": "logging.FileHandler", "filename": "cfg://a"}}}',
    path: 'handlers.f.filename',
    match: /cycle/,
  },
  {
    name: 'JSON cfg:// self cycle',
    ext: 'json',
    text: '{"version": 1, "x": {"y": "cfg://x.y"}, "root": {"level": "cfg://x.y"}}',
    path: 'root.level',
    match: /cycle/,
  },
  {
    name: 'JSON cfg:// missing key',
    ext: 'json',
    text: '{"version": 1, "root": {"level": "cfg://levels[3]"}}',
    path: 'root.level',
    match: /no top-level key 'levels'/,
  },
  {
    name: 'JSON ext:// unknown',
    ext: 'json',
    text: '{"version": 1, "handlers": {"s": {"class": "logging.StreamHandler", "stream": "ext://sys.stdnothing"}}}',
    path: 'handlers.s.stream',
    match: /cannot resolve/,
  },
  {
    name: 'JSON stream as a plain string',
    ext: 'json',
    text: '{"version": 1, "handlers": {"s": {"class": "logging.StreamHandler", "stream": "sys.stdout"}}}',
    path: 'handlers.s',
    match: /stream must be sys.stdout or sys.stderr/,
  },
  {
    name: 'JSON maxBytes as a string',
    ext: 'json',
    text: '{"version": 1, "handlers": {"r": {"class": "logging.handlers.RotatingFileHandler", "filename": "a.log", "maxBytes": "10MB"}}}',
    path: 'handlers.r',
    match: /maxBytes must be a number/,
  },
  {
    name: 'JSON unknown filter',
    ext: 'json',
    text: '{"version": 1, "handlers": {"n": {"class": "logging.NullHandler", "filters": ["f"]}}}',
    path: 'handlers.n.filters[0]',
    match: /Unable to add filter 'f'/,
  },
  {
    name: 'JSON MemoryHandler target unknown',
    ext: 'json',
    text: '{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": 10, "target": "nope"}}}',
    path: 'handlers.m.target',
    match: /Unable to set target handler/,
  },
  {
    name: 'JSON unknown () factory',
    ext: 'json',
    text: '{"version": 1, "formatters": {"f": {"()": "myapp.NoSuchFormatter"}}}',
    path: 'formatters.f.()',
    match: /No module named 'myapp'/,
  },
  {
    name: 'JSON incremental with unknown handler',
    ext: 'json',
    text: '{"version": 1, "incremental": true, "handlers": {"ghost": {"level": "DEBUG"}}}',
    path: 'handlers.ghost',
    match: /No handler found with name 'ghost'/,
  },
  {
    name: 'JSON huge file',
    ext: 'json',
    text: `{"version": 1, "x": "${'a'.repeat(5 * 1024 * 1024)}"}`,
    line: null,
    match: /too large/,
  },
  {
    name: 'JSON kwarg nested absurdly deep',
    ext: 'json',
    text: `{"version": 1, "handlers": {"h": {"class": "logging.NullHandler", "x": ${'['.repeat(20000)}${']'.repeat(20000)}}}}`,
    line: null,
    match: /cannot parse/,
  },
  // --- YAML ---
  {
    name: 'YAML bad indentation',
    ext: 'yaml',
    text: 'version: 1\nhandlers:\n  console:\n    class: logging.StreamHandler\n   level: INFO\n',
    line: 5,
    match: /invalid YAML/,
  },
  {
    name: 'YAML duplicate key',
    ext: 'yaml',
    text: 'version: 1\nroot:\n  level: INFO\n  level: DEBUG\n',
    line: 4,
    match: /invalid YAML/,
  },
  {
    name: 'YAML tab indentation',
    ext: 'yaml',
    text: 'version: 1\nroot:\n\tlevel: INFO\n',
    line: 3,
    match: /invalid YAML/,
  },
  {
    name: 'YAML unterminated quote',
    ext: 'yaml',
    text: "version: 1\nformatters:\n  f:\n    format: '%(message)s\n",
    line: 5,
    match: /invalid YAML/,
  },
  {
    name: 'YAML truncated flow sequence',
    ext: 'yaml',
    text: 'version: 1\nroot:\n  handlers: [console,\n',
    line: 4,
    match: /invalid YAML/,
  },
  { name: 'YAML scalar document', ext: 'yaml', text: 'hello\n', path: '', match: /must be a mapping/ },
  { name: 'YAML empty document', ext: 'yaml', text: '# nothing\n', path: '', match: /must be a mapping/ },
  {
    name: 'YAML handler without class',
    ext: 'yaml',
    text: 'version: 1\nhandlers:\n  console:\n    level: INFO\n',
    path: 'handlers.console',
    match: /no 'class'/,
  },
  {
    name: 'YAML unknown level',
    ext: 'yaml',
    text: 'version: 1\nloggers:\n  app.db:\n    level: loud\n',
    path: 'loggers["app.db"].level',
    match: /Unknown level: 'loud'/,
  },
  {
    name: 'YAML unknown class',
    ext: 'yaml',
    text: 'version: 1\nhandlers:\n  h:\n    class: logging.handlers.QueueHandler\n',
    path: 'handlers.h.class',
    match: /not supported/,
  },
  {
    name: 'YAML formatter reference missing',
    ext: 'yaml',
    text: 'version: 1\nhandlers:\n  h:\n    class: logging.NullHandler\n    formatter: fancy\n',
    path: 'handlers.h.formatter',
    match: /Unable to set formatter/,
  },
  {
    name: 'YAML cfg:// cycle',
    ext: 'yaml',
    text: 'version: 1\na: cfg://b\nb: cfg://c\nc: cfg://a\nroot:\n  level: cfg://a\n',
    path: 'root.level',
    match: /cycle/,
  },
  {
    name: 'YAML loggers as a list',
    ext: 'yaml',
    text: 'version: 1\nloggers:\n  - app\n',
    path: 'loggers',
    match: /mapping/,
  },
  {
    name: 'YAML alias bomb',
    ext: 'yaml',
    text: 'version: 1\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    line: null,
    match: /alias/i,
  },
  {
    name: 'YAML filename as a number',
    ext: 'yaml',
    text: 'version: 1\nhandlers:\n  f:\n    class: logging.FileHandler\n    filename: 42\n',
    path: 'handlers.f',
    match: /filename must be a string/,
  },
  {
    name: 'YAML TimedRotating when invalid',
    ext: 'yaml',
    text: 'version: 1\nhandlers:\n  t:\n    class: logging.handlers.TimedRotatingFileHandler\n    filename: t.log\n    when: fortnightly\n',
    path: 'handlers.t',
    match: /Invalid rollover interval/,
  },
  {
    name: 'YAML nested absurdly deep',
    ext: 'yaml',
    text: `version: 1\nx: ${'['.repeat(100000)}${']'.repeat(100000)}\n`,
    line: 2,
    match: /invalid YAML/,
  },
  {
    name: 'YAML version missing',
    ext: 'yaml',
    text: 'root:\n  level: INFO\n',
    path: '',
    match: /doesn't specify a version/,
  },
];

describe('each malformed configuration gives a located ConfigError and changes nothing', () => {
  let dir = '';
  let cwd = '';
  let baseLog = '';
  let applied: ReturnType<typeof fileConfig>;
  let base: FileHandler;
  let live = 0;
  let written = 0;
  const root = getRootLogger();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'logdial-malformed-'));
    baseLog = join(dir, 'base.log');
    applied = fileConfig(
      `[loggers]\nkeys=root\n[handlers]\nkeys=base\n[formatters]\nkeys=\n[logger_root]\nlevel=INFO\nhandlers=base\n[handler_base]\nclass=FileHandler\nargs=(${JSON.stringify(baseLog)},)\n`,
    );
    base = applied.handlers.get('base') as FileHandler;
    live = getLiveHandlers().length;
    cwd = process.cwd();
    process.chdir(dir); // relative file names in the cases land here
  });
  after(() => {
    process.chdir(cwd);
    base.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    test(c.name, () => {
      try {
        const file = join(dir, `case.${c.ext}`);
        writeFileSync(file, c.text);
        let error: unknown;
        try {
          const handle = configure(file);
          handle.close();
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        assert.equal(error.file, file, error.message);
        assert.ok(error.message.includes(basename(file)), `the message does not name the file: ${error.message}`);
        if (c.line !== undefined) assert.equal(error.line ?? null, c.line, error.message);
        if (c.path !== undefined) assert.equal(error.path ?? '', c.path, error.message);
        if (c.line === undefined && c.path === undefined) assert.fail('the case states no location');
        if (c.match) assert.match(error.message, c.match);
        // unchanged: same configuration, same handler attached and open, nothing leaked
        assert.equal(getCurrentConfig(), applied);
        assert.deepEqual(root.handlers, [base]);
        assert.equal(root.level, 20);
        assert.equal(base.closed, false);
        assert.equal(getLiveHandlers().length, live, 'a handler was left open');
      } finally {
        getLogger('still').warning('after %s', c.name);
        written++;
      }
    });
  }

  test('the running configuration kept writing through every case', () => {
    base.flush();
    const lines = readFileSync(baseLog, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, written);
    assert.equal(lines.at(-1), `after ${cases.at(-1)!.name}`);
  });
});
