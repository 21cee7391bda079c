/**
 * Chat shorthand written out ("whats ur phone number" → "what is your phone number"), so the intent
 * model, the request splitter and retrieval read what the user meant. Whole words only, Latin
 * script only; the transcript keeps what was typed.
 */
const SHORTHAND: Record<string, string> = {
  whats: 'what is',
  wats: 'what is',
  wat: 'what',
  hows: 'how is',
  wheres: 'where is',
  whens: 'when is',
  whos: 'who is',
  ur: 'your',
  u: 'you',
  r: 'are',
  ya: 'you',
  pls: 'please',
  plz: 'please',
  cuz: 'because',
  coz: 'because',
  bc: 'because',
  wanna: 'want to',
  gonna: 'going to',
  gimme: 'give me',
  lemme: 'let me',
  dont: "don't",
  cant: "can't",
  wont: "won't",
  doesnt: "doesn't",
  didnt: "didn't",
  isnt: "isn't",
  im: "I'm",
  ive: "I've",
  abt: 'about',
  b4: 'before',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  '2day': 'today',
  asap: 'as soon as possible',
  acct: 'account',
  pw: 'password',
  pwd: 'password',
};

const WORD = /(?<![\p{L}\p{N}'-])[a-z0-9]+(?![\p{L}\p{N}'-])/giu;

export function expandCasualWriting(text: string): string {
  return text.replace(WORD, (word) => {
    const full = SHORTHAND[word.toLowerCase()];
    // A capital single letter is a name or an abbreviation ("R&D", "U.S."), not "are"/"you".
    if (full === undefined || (word.length === 1 && word !== word.toLowerCase())) return word;
    // Keep a capital at the start of the message ("Whats …" → "What is …").
    return word[0] === word[0]!.toUpperCase() && /[a-z]/i.test(word[0]!)
      ? full.charAt(0).toUpperCase() + full.slice(1)
      : full;
  });
}
