import type { FrameLayout } from '../../models/enums';
import type { FrameStyle } from '../../imaging/frame-art';

/**
 * The vocabulary the frame-description parser understands, Indonesian and English side by side.
 * Words are written as the tokenizer produces them: lower case, no accents, punctuation as spaces
 * ("abu-abu" → "abu abu"). A phrase is several words.
 */

/** Colour names → `#RRGGBB`. Idioms first where a plain reading would be wrong ("merah muda" is pink). */
export const COLOUR_WORDS: ReadonlyArray<readonly [phrases: string[], hex: string]> = [
  [['merah muda', 'merah jambu', 'pink', 'jambu', 'pingk', 'merah pink'], '#EC407A'],
  [
    ['biru dongker', 'biru donker', 'dongker', 'donker', 'navy', 'biru navy', 'navy blue'],
    '#1A237E',
  ],
  [['biru langit', 'sky blue', 'langit', 'skyblue'], '#64B5F6'],
  [['baby blue', 'biru bayi'], '#89CFF0'],
  [['biru royal', 'royal blue'], '#4169E1'],
  [['biru elektrik', 'electric blue'], '#2979FF'],
  [
    [
      'hijau tosca',
      'hijau toska',
      'ijo tosca',
      'ijo toska',
      'tosca',
      'toska',
      'turquoise',
      'turkis',
      'pirus',
    ],
    '#1ABC9C',
  ],
  [['hijau army', 'army green', 'army', 'hijau tentara'], '#4B5320'],
  [['hijau botol', 'bottle green'], '#006A4E'],
  [['hijau daun', 'leaf green'], '#4CAF50'],
  [['hijau stabilo', 'stabilo', 'lime', 'lime green', 'hijau lime'], '#C6E03A'],
  [['hijau mint', 'mint', 'mint green'], '#98E2C6'],
  [['hijau sage', 'sage', 'sage green'], '#9CAF88'],
  [['hijau zamrud', 'zamrud', 'emerald', 'emerald green'], '#2E9D6B'],
  [['zaitun', 'olive', 'hijau zaitun', 'olive green'], '#708238'],
  [['merah marun', 'marun', 'maroon', 'merah maroon'], '#800020'],
  [['burgundy', 'merah anggur', 'wine', 'wine red'], '#800032'],
  [['merah cabai', 'crimson', 'merah darah'], '#C41E3A'],
  [['rose gold', 'emas mawar', 'rosegold'], '#B76E79'],
  [['abu abu', 'abu', 'kelabu', 'grey', 'gray', 'abu2'], '#9E9E9E'],
  [['charcoal', 'arang', 'abu tua'], '#36454F'],
  [['kuning mustard', 'mustard'], '#E1AD01'],
  [['kuning keemasan', 'keemasan', 'emas', 'gold', 'golden', 'gold color'], '#D4AF37'],
  [['perak', 'silver', 'keperakan'], '#C0C0C0'],
  [['perunggu', 'bronze'], '#CD7F32'],
  [['tembaga', 'copper'], '#B87333'],
  [['merah', 'red', 'mera'], '#E53935'],
  [['biru', 'blue', 'bleu', 'blu', 'biruu'], '#1E88E5'],
  [['hijau', 'green', 'ijo', 'hijo'], '#43A047'],
  [['kuning', 'yellow', 'kunig'], '#FDD835'],
  [['ungu', 'purple', 'violet', 'ungu violet', 'purpel'], '#8E24AA'],
  [['oranye', 'orange', 'jingga', 'oren', 'orens'], '#FB8C00'],
  [['hitam', 'black', 'item'], '#212121'],
  [['putih', 'white'], '#FFFFFF'],
  [['coklat', 'cokelat', 'brown', 'coklat muda'], '#795548'],
  [['krem', 'cream', 'creme'], '#FFF3D6'],
  [['beige', 'beis'], '#E8DCC4'],
  [['gading', 'ivory'], '#FFFFF0'],
  [['sampanye', 'champagne'], '#F7E7CE'],
  [['tan', 'coklat susu'], '#D2B48C'],
  [['nude', 'warna kulit'], '#E3BC9A'],
  [['peach', 'persik', 'pich'], '#FFCBA4'],
  [['koral', 'coral'], '#FF7F50'],
  [['salem', 'salmon'], '#FA8072'],
  [['magenta', 'fuchsia', 'fuksia', 'hot pink'], '#D81B60'],
  [['lavender', 'lavendel', 'lavender purple'], '#B39DDB'],
  [['lilac', 'lila', 'lilak'], '#C8A2C8'],
  [['nila', 'indigo'], '#3F51B5'],
  [['sian', 'cyan', 'aqua', 'biru muda terang'], '#00BCD4'],
  [['teal', 'hijau kebiruan', 'biru kehijauan'], '#008080'],
];

/** Colour metals and neutrals that read best as the line around the photos. */
export const LINE_FRIENDLY = new Set([
  '#D4AF37',
  '#C0C0C0',
  '#CD7F32',
  '#B87333',
  '#B76E79',
  '#FFFFFF',
]);

/** After a colour in Indonesian ("biru muda"), before it in English ("light blue"); both for some. */
export const LIGHTER = {
  after: ['muda', 'terang', 'pucat', 'lembut', 'soft'],
  before: ['light', 'pale', 'soft', 'baby'],
  both: ['pastel'],
};
export const DARKER = {
  after: ['tua', 'gelap', 'pekat', 'dark'],
  before: ['dark', 'deep', 'gelap'],
  both: [] as string[],
};

export const ROLE_WORDS = {
  border: [
    'border',
    'borders',
    'garis',
    'garis tepi',
    'tepi',
    'pinggir',
    'pinggiran',
    'outline',
    'list',
    'lis',
    'stroke',
    'edge',
    'edges',
    'trim',
    'lining',
    'sisi',
    'frame border',
    'bordernya',
    'garisnya',
  ],
  background: [
    'background',
    'latar',
    'latar belakang',
    'latar blakang',
    'backdrop',
    'bg',
    'dasar',
    'warna dasar',
    'base',
    'backgroundnya',
    'latarnya',
    'belakang',
  ],
};

/** Words that say "make it a gradient" without naming both ends. */
export const GRADIENT_WORDS = [
  'gradasi',
  'gradien',
  'gradient',
  'ombre',
  'degradasi',
  'gradiasi',
  'fade',
  'gradation',
  'gradasinya',
  'blend',
];
/** Between two colours, these make the pair a gradient ("biru ke ungu", "blue to purple"). */
export const GRADIENT_LINKS = ['ke', 'to', 'into', 'menuju', 'sampai', 'hingga', 'towards'];
/** Between two colours, these only list them ("biru dan ungu"). */
export const LIST_LINKS = [
  'dan',
  'and',
  'n',
  'plus',
  'serta',
  'atau',
  'or',
  'with',
  'dengan',
  'campur',
  'mix',
];
/** "From" before the first colour of a gradient: skipped when pairing. */
export const FROM_WORDS = ['dari', 'from'];
export const SOLID_WORDS = [
  'polos',
  'solid',
  'plain',
  'flat',
  'tanpa gradasi',
  'no gradient',
  'satu warna',
  'single color',
  'single colour',
];

/** Words that sit between a role and its colour ("border warna emas", "border in gold"). */
export const FILLER_WORDS = new Set([
  'warna',
  'berwarna',
  'warnanya',
  'dengan',
  'yang',
  'nya',
  'color',
  'colour',
  'colored',
  'coloured',
  'in',
  'of',
  'a',
  'an',
  'the',
  'with',
  'is',
  'pakai',
  'memakai',
  'menggunakan',
  'using',
  'use',
  'bernuansa',
  'nuansa',
  'tone',
  'shade',
  'agak',
  'sedikit',
  'rather',
  'slightly',
  'kind',
  'tinted',
]);

export const LAYOUT_WORDS: Record<FrameLayout, string[]> = {
  vertical: [
    'vertikal',
    'vertical',
    'vertikel',
    'verticle',
    'strip',
    'photostrip',
    'photo strip',
    'memanjang',
    'tegak',
    'atas bawah',
    'ke bawah',
    'kebawah',
    'bersusun',
    'tersusun',
    'stack',
    'stacked',
    'potrait strip',
    'berjajar ke bawah',
    'menurun',
    'photobooth strip',
  ],
  horizontal: [
    'horizontal',
    'horisontal',
    'horizontl',
    'horizonal',
    'menyamping',
    'mendatar',
    'samping',
    'berdampingan',
    'sejajar',
    'side by side',
    'landscape',
    'lanskap',
    'kiri kanan',
    'sebaris',
    'ke samping',
    'kesamping',
    'melebar',
    'widescreen',
  ],
  grid: [
    'grid',
    'kotak',
    'kotak kotak',
    'kotak2',
    'petak',
    'petakan',
    'kolase',
    'collage',
    'mosaic',
    'mozaik',
    'matrix',
    'tile',
    'tiles',
    'tiled',
    'kisi',
    'kisi kisi',
    'square',
    'squares',
    'checkerboard',
  ],
};

export const NUMBER_WORDS: Record<string, number> = {
  satu: 1, one: 1, single: 1, sebuah: 1,
  dua: 2, two: 2, sepasang: 2, pair: 2, couple: 2, double: 2, duo: 2, berdua: 2,
  tiga: 3, three: 3, triple: 3, trio: 3, bertiga: 3,
  empat: 4, four: 4, berempat: 4, quad: 4,
  lima: 5, five: 5, enam: 6, six: 6, tujuh: 7, seven: 7, delapan: 8, eight: 8, sembilan: 9, nine: 9,
}; // prettier-ignore

/** What a counted thing must be for the number to be the photo count. */
export const PHOTO_NOUNS = [
  'foto',
  'photo',
  'photos',
  'pics',
  'pic',
  'pictures',
  'picture',
  'gambar',
  'slot',
  'slots',
  'pose',
  'poses',
  'jepretan',
  'shots',
  'shot',
  'frame',
  'frames',
  'kotak',
  'bingkai',
  'panel',
  'panels',
  'potret',
  'portraits',
  'snaps',
  'image',
  'images',
  'photo2',
  'foto2',
  'lubang',
  'holes',
  'cells',
  'sel',
];
/** Counted things that are not photos ("ulang tahun ke-5", "3 warna"): never the photo count. */
export const OTHER_UNITS = [
  'tahun',
  'th',
  'thn',
  'year',
  'years',
  'orang',
  'people',
  'persons',
  'person',
  'jam',
  'hours',
  'warna',
  'colors',
  'colours',
  'color',
  'colour',
  'px',
  'pixel',
  'pixels',
  'cm',
  'mm',
  'persen',
  'percent',
  'bulan',
  'months',
  'hari',
  'days',
  'anak',
  'kids',
  'kali',
  'times',
  'menit',
  'minutes',
  'ke',
  'th',
  'st',
  'nd',
  'rd',
];
/** A word before the number that makes it an ordinal or an age ("ke 5", "umur 7"). */
export const NOT_A_COUNT_BEFORE = [
  'ke',
  'umur',
  'usia',
  'age',
  'aged',
  'angkatan',
  'kelas',
  'class',
  'nomor',
  'number',
  'no',
  'tahun',
  'year',
  'the',
];

/** Negations: a layout or colour right after one of these is not wanted. */
export const NEGATIONS = [
  'bukan',
  'jangan',
  'tidak',
  'tanpa',
  'gak',
  'nggak',
  'ga',
  'enggak',
  'not',
  'no',
  'without',
  'dont',
  'don t',
  'non',
  'never',
  'kecuali',
  'except',
];

export const STYLE_WORDS: Record<FrameStyle, string[]> = {
  polaroid: ['polaroid', 'instax', 'instan'],
  film: [
    'film',
    'filmstrip',
    'seluloid',
    'bioskop',
    'cinema',
    'sinema',
    'movie',
    'klise',
    'negatif',
    'analog',
  ],
  confetti: ['konfeti', 'confetti', 'meriah', 'festive', 'pesta', 'party'],
  classic: ['klasik', 'classic', 'formal', 'simple', 'sederhana', 'simpel'],
};

export const THICK_WORDS = ['tebal', 'thick', 'bold', 'tegas', 'lebar', 'wide', 'chunky'];
export const THIN_WORDS = ['tipis', 'thin', 'halus', 'fine', 'slim', 'ramping', 'hairline'];
export const ROUND_WORDS = [
  'bulat',
  'rounded',
  'round',
  'melengkung',
  'membulat',
  'tumpul',
  'lengkung',
  'bundar',
  'rounded corners',
  'sudut bulat',
  'sudut tumpul',
  'curved',
];
export const SHARP_WORDS = [
  'siku',
  'tajam',
  'sharp',
  'lancip',
  'sudut tajam',
  'sharp corners',
  'square corners',
  'sudut siku',
  'tegak lurus',
];

export interface Palette {
  from: string;
  to: string;
  border: string;
  style?: FrameStyle;
}

/**
 * Occasions and moods → a palette. Occasions are listed first and win over moods ("pernikahan
 * yang ceria" is a wedding). The key is the theme's name in the reply.
 */
export const THEMES: ReadonlyArray<{ name: { id: string; en: string }; words: string[]; palette: Palette; occasion: boolean }> = [
  { name: { id: 'ulang tahun', en: 'birthday' }, occasion: true, words: ['ulang tahun', 'ultah', 'ulangtahun', 'birthday', 'bday', 'b day', 'milad', 'hbd', 'happy birthday', 'tiup lilin', 'birth day', 'birthdy', 'brithday'], palette: { from: '#FF9A9E', to: '#FECF6A', border: '#FFFFFF', style: 'confetti' } },
  { name: { id: 'pernikahan', en: 'wedding' }, occasion: true, words: ['pernikahan', 'nikah', 'nikahan', 'menikah', 'wedding', 'kawinan', 'resepsi', 'akad', 'marriage', 'pengantin', 'wed', 'weding', 'wediing', 'pernikahn', 'lamaran', 'tunangan', 'engagement', 'pertunangan'], palette: { from: '#FFF8F0', to: '#F1DEC9', border: '#D4AF37', style: 'classic' } },
  { name: { id: 'wisuda', en: 'graduation' }, occasion: true, words: ['wisuda', 'graduation', 'kelulusan', 'lulus', 'lulusan', 'graduate', 'graduated', 'graduasi', 'sarjana', 'toga', 'wisudaan', 'perpisahan sekolah', 'prom'], palette: { from: '#1A237E', to: '#3949AB', border: '#D4AF37', style: 'classic' } },
  { name: { id: 'lebaran', en: 'Eid' }, occasion: true, words: ['lebaran', 'idul fitri', 'idulfitri', 'eid', 'eid mubarak', 'ramadan', 'ramadhan', 'hari raya', 'mudik', 'halal bihalal', 'ketupat', 'idul adha', 'iedul fitri', 'syawal'], palette: { from: '#0B6E4F', to: '#1FA37A', border: '#D4AF37', style: 'classic' } },
  { name: { id: 'natal', en: 'Christmas' }, occasion: true, words: ['natal', 'christmas', 'xmas', 'natalan', 'santa', 'sinterklas', 'christmast', 'chrismas'], palette: { from: '#B71C1C', to: '#1B5E20', border: '#F5D76E', style: 'confetti' } },
  { name: { id: 'tahun baru', en: 'New Year' }, occasion: true, words: ['tahun baru', 'new year', 'newyear', 'malam tahun baru', 'countdown', 'kembang api', 'fireworks'], palette: { from: '#0F0C29', to: '#302B63', border: '#D4AF37', style: 'confetti' } },
  { name: { id: 'imlek', en: 'Lunar New Year' }, occasion: true, words: ['imlek', 'lunar new year', 'chinese new year', 'sincia', 'gong xi fa cai', 'angpao', 'cap go meh'], palette: { from: '#C62828', to: '#8E0000', border: '#FFD54F', style: 'classic' } },
  { name: { id: 'valentine', en: "Valentine's" }, occasion: true, words: ['valentine', 'valentin', 'valentines', 'hari kasih sayang'], palette: { from: '#FF5F8F', to: '#C2185B', border: '#FFFFFF', style: 'classic' } },
  { name: { id: 'anniversary', en: 'anniversary' }, occasion: true, words: ['anniversary', 'anniv', 'hari jadi', 'ulang tahun pernikahan', 'aniversary'], palette: { from: '#F8C8D0', to: '#B76E79', border: '#FFFFFF', style: 'classic' } },
  { name: { id: 'bayi', en: 'baby' }, occasion: true, words: ['bayi', 'baby', 'baby shower', 'newborn', 'kelahiran', 'aqiqah', 'akikah', 'gender reveal', 'babyshower'], palette: { from: '#D6EAF8', to: '#FDE2E4', border: '#FFFFFF', style: 'polaroid' } },
  { name: { id: 'kemerdekaan', en: 'Independence Day' }, occasion: true, words: ['kemerdekaan', '17 agustus', 'agustusan', 'hut ri', 'merdeka', 'independence day', 'independence'], palette: { from: '#E53935', to: '#B71C1C', border: '#FFFFFF', style: 'classic' } },
  { name: { id: 'halloween', en: 'Halloween' }, occasion: true, words: ['halloween', 'haloween', 'helloween', 'spooky', 'seram', 'horor', 'horror'], palette: { from: '#1B1B1B', to: '#E65100', border: '#FF9800', style: 'film' } },
  { name: { id: 'sekolah', en: 'school' }, occasion: true, words: ['sekolah', 'school', 'kampus', 'campus', 'kuliah', 'kelas', 'class', 'reuni', 'reunion', 'ospek', 'mpls'], palette: { from: '#E3F2FD', to: '#90CAF9', border: '#1565C0', style: 'polaroid' } },
  { name: { id: 'kantor', en: 'corporate' }, occasion: true, words: ['kantor', 'corporate', 'office', 'perusahaan', 'company', 'gathering', 'seminar', 'konferensi', 'conference', 'bisnis', 'business', 'profesional', 'professional'], palette: { from: '#263238', to: '#455A64', border: '#B0BEC5', style: 'classic' } },
  { name: { id: 'pantai', en: 'beach' }, occasion: false, words: ['pantai', 'beach', 'laut', 'ocean', 'sea', 'summer', 'musim panas', 'tropis', 'tropical', 'liburan', 'holiday', 'vacation', 'bali'], palette: { from: '#4FC3F7', to: '#FFE0B2', border: '#FFFFFF', style: 'polaroid' } },
  { name: { id: 'senja', en: 'sunset' }, occasion: false, words: ['senja', 'sunset', 'matahari terbenam', 'sore', 'golden hour', 'sunrise', 'fajar'], palette: { from: '#FF7E5F', to: '#6A3093', border: '#FFE0B2' } },
  { name: { id: 'malam', en: 'night' }, occasion: false, words: ['malam', 'night', 'galaxy', 'galaksi', 'bintang', 'stars', 'space', 'luar angkasa', 'midnight', 'bulan purnama'], palette: { from: '#0F2027', to: '#2C5364', border: '#E0E0E0' } },
  { name: { id: 'alam', en: 'nature' }, occasion: false, words: ['alam', 'nature', 'hutan', 'forest', 'taman', 'garden', 'daun', 'leaves', 'botanical', 'botani', 'floral', 'bunga', 'flower', 'flowers', 'spring', 'musim semi'], palette: { from: '#A8E063', to: '#56AB2F', border: '#FFFFFF' } },
  { name: { id: 'sakura', en: 'sakura' }, occasion: false, words: ['sakura', 'cherry blossom', 'jepang', 'japanese', 'japan'], palette: { from: '#FFE4EC', to: '#F8BBD0', border: '#C2185B', style: 'classic' } },
  { name: { id: 'retro', en: 'retro' }, occasion: false, words: ['retro', 'vintage', 'jadul', 'jaman dulu', 'old school', 'oldschool', '90an', '80an', 'klasik retro', 'antik', 'antique'], palette: { from: '#E9C46A', to: '#B5651D', border: '#3E2723', style: 'film' } },
  { name: { id: 'elegan', en: 'elegant' }, occasion: false, words: ['elegan', 'elegant', 'mewah', 'luxury', 'luxurious', 'glamor', 'glamour', 'glam', 'premium', 'eksklusif', 'exclusive', 'classy', 'berkelas', 'mahal'], palette: { from: '#141414', to: '#3A3A3A', border: '#D4AF37', style: 'classic' } },
  { name: { id: 'minimalis', en: 'minimalist' }, occasion: false, words: ['minimalis', 'minimalist', 'minimal', 'clean', 'bersih', 'modern', 'simpel modern'], palette: { from: '#FAFAFA', to: '#E0E0E0', border: '#424242', style: 'classic' } },
  { name: { id: 'romantis', en: 'romantic' }, occasion: false, words: ['romantis', 'romantic', 'cinta', 'love', 'sayang', 'pacar', 'couple goals', 'mesra', 'romance', 'romantik'], palette: { from: '#FFB6C1', to: '#E75480', border: '#FFFFFF', style: 'classic' } },
  { name: { id: 'ceria', en: 'cheerful' }, occasion: false, words: ['ceria', 'cheerful', 'happy', 'fun', 'senang', 'gembira', 'bahagia', 'colorful', 'colourful', 'warna warni', 'warni', 'rainbow', 'pelangi', 'playful', 'riang', 'joyful'], palette: { from: '#FFD54F', to: '#FF8A65', border: '#FFFFFF', style: 'confetti' } },
  { name: { id: 'lucu', en: 'cute' }, occasion: false, words: ['lucu', 'cute', 'imut', 'gemas', 'gemes', 'kawaii', 'menggemaskan', 'adorable', 'unyu'], palette: { from: '#FADADD', to: '#E6E6FA', border: '#FFFFFF', style: 'polaroid' } },
  { name: { id: 'tenang', en: 'calm' }, occasion: false, words: ['tenang', 'calm', 'kalem', 'adem', 'sejuk', 'peaceful', 'damai', 'serene', 'relaxing', 'santai', 'chill', 'soothing'], palette: { from: '#A1C4FD', to: '#C2E9FB', border: '#FFFFFF' } },
  { name: { id: 'keren', en: 'cool' }, occasion: false, words: ['keren', 'cool', 'neon', 'cyber', 'futuristik', 'futuristic', 'gaming', 'techno', 'edgy', 'modern keren'], palette: { from: '#12C2E9', to: '#C471ED', border: '#FFFFFF' } },
  { name: { id: 'gelap', en: 'dark' }, occasion: false, words: ['gelap', 'dark', 'misterius', 'mysterious', 'gothic', 'moody'], palette: { from: '#232526', to: '#414345', border: '#BDBDBD' } },
  { name: { id: 'musim dingin', en: 'winter' }, occasion: false, words: ['musim dingin', 'winter', 'salju', 'snow', 'es', 'ice', 'frozen', 'dingin', 'beku'], palette: { from: '#E0F7FA', to: '#80DEEA', border: '#FFFFFF' } },
  { name: { id: 'musim gugur', en: 'autumn' }, occasion: false, words: ['musim gugur', 'autumn', 'fall', 'gugur', 'daun gugur'], palette: { from: '#F4A261', to: '#9C4221', border: '#FFF3E0' } },
  { name: { id: 'kopi', en: 'coffee' }, occasion: false, words: ['kopi', 'coffee', 'cafe', 'kafe', 'latte', 'mocha', 'espresso'], palette: { from: '#D7B899', to: '#6F4E37', border: '#FFF8E7', style: 'polaroid' } },
  { name: { id: 'pastel', en: 'pastel' }, occasion: false, words: ['pastel', 'pastels', 'soft colors', 'warna lembut'], palette: { from: '#FBC2EB', to: '#A6C1EE', border: '#FFFFFF' } },
]; // prettier-ignore

/** When nothing at all is said about colour: KaryaKlik's own pink-to-violet. */
export const DEFAULT_PALETTE: Palette = {
  from: '#FF7EB3',
  to: '#7A5CFF',
  border: '#FFFFFF',
  style: 'classic',
};

/**
 * Common words that sit one typo away from a vocabulary word ("marah" ~ merah, "tempat" ~ empat,
 * "while" ~ white): never corrected.
 */
export const NEVER_CORRECT = new Set(['marah', 'kucing', 'tempat', 'while', 'there', 'fellow', 'like', 'baru', 'biar', 'pinky', 'right', 'might', 'sight', 'tight', 'fight', 'lampu', 'lama', 'bayar', 'tiba', 'tiap', 'empati', 'great', 'greet', 'thee', 'tree', 'free', 'tide', 'ride', 'hide', 'told', 'cold', 'hold', 'fold', 'sold', 'mold', 'those', 'these', 'blur', 'foot', 'root', 'grip', 'strap', 'raw', 'low', 'cow', 'how', 'now', 'new', 'rapid', 'pride', 'prize', 'place', 'peace', 'lilin', 'salam', 'dalam', 'malas', 'merak', 'merek', 'kunci', 'bunda', 'lembur', 'kotor', 'motor', 'kopor', 'koper', 'putri', 'putra', 'hitung', 'hijab', 'ungkap', 'tugas', 'lebah', 'fotonya', 'photon', 'phone']); // prettier-ignore
