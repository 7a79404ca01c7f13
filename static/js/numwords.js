// Amounts in Vietnamese words for the receipt screen (#15): 792000 -> "Bảy trăm chín mươi hai
// nghìn đồng". Groups of three digits read with nghìn / triệu / tỷ; inside a number a group
// is read in full ("không trăm", "linh"), the way amounts are written on receipts.

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const SCALES = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ'];

function group(n, full) {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const units = n % 10;
  const out = [];
  if (hundreds || full) out.push(DIGITS[hundreds], 'trăm');
  if (tens === 0) {
    if (units && (hundreds || full)) out.push('linh');
  } else if (tens === 1) {
    out.push('mười');
  } else {
    out.push(DIGITS[tens], 'mươi');
  }
  if (units) {
    if (units === 5 && tens) out.push('lăm');
    else if (units === 1 && tens > 1) out.push('mốt');
    else out.push(DIGITS[units]);
  }
  return out;
}

/** Whole đồng in words, first letter capital, ending in "đồng". */
export function moneyInWords(amount) {
  let n = Math.floor(Math.abs(Number(amount) || 0));
  if (n === 0) return 'Không đồng';
  const groups = [];
  while (n > 0) { groups.push(n % 1000); n = Math.floor(n / 1000); }
  const words = [];
  for (let i = groups.length - 1; i >= 0; i -= 1) {
    if (!groups[i]) continue;
    words.push(...group(groups[i], i < groups.length - 1), SCALES[i]);
  }
  const text = `${words.filter(Boolean).join(' ')} đồng`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
