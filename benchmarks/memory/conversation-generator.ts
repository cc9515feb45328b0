/**
 * A deterministic generator of synthetic long conversations for the memory benchmark: facts
 * about the user planted at random depths among distractor turns, and for each fact a
 * question that paraphrases it, sharing only some of its words. Everything comes from a
 * seeded PRNG, so a seed always gives the same conversations (code, not data).
 *
 * The templates were written once, as a person would say and ask these things, before any
 * retriever was run on them; they are not tuned to one.
 */

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const slots = {
  name: [
    "Dana",
    "Marco",
    "Priya",
    "Tom",
    "Aisha",
    "Lena",
    "Kenji",
    "Sofia",
    "Omar",
    "Grace",
    "Felix",
    "Nadia",
    "Hugo",
    "Mei",
    "Ravi",
    "Clara",
    "Jonas",
    "Zoe",
    "Ivan",
    "Leila",
  ],
  city: [
    "Lisbon",
    "Toronto",
    "Osaka",
    "Nairobi",
    "Denver",
    "Lyon",
    "Krakow",
    "Melbourne",
    "Austin",
    "Bergen",
    "Seville",
    "Glasgow",
    "Porto",
    "Leipzig",
    "Halifax",
    "Tucson",
  ],
  country: ["Portugal", "Japan", "Kenya", "Iceland", "Peru", "Vietnam", "Greece", "Norway", "Morocco", "Chile", "Croatia", "Thailand"],
  allergen: ["peanuts", "shellfish", "sesame", "strawberries", "walnuts", "eggs", "kiwi", "soy"],
  breed: ["beagle", "border collie", "dachshund", "golden retriever", "pug", "greyhound", "corgi", "labrador"],
  petName: ["Biscuit", "Pepper", "Mochi", "Ziggy", "Luna", "Waffles", "Juniper", "Otis", "Pickles", "Nova"],
  job: ["nurse", "carpenter", "data analyst", "pharmacist", "architect", "paramedic", "librarian", "welder", "teacher", "chef"],
  company: ["Northwind", "Acme Logistics", "Bluefin Bank", "Greenleaf Foods", "Orbit Labs", "Harbor Health", "Pinecrest Media"],
  band: ["Radiohead", "Fleetwood Mac", "Khruangbin", "Daft Punk", "The Cure", "Arcade Fire", "ABBA", "Bonobo"],
  color: ["blue", "green", "red", "silver", "black", "white", "orange", "purple"],
  car: ["Honda Civic", "Toyota Corolla", "Ford Fiesta", "Volvo estate", "Mazda 3", "Kia Niro", "VW Golf"],
  month: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  subject: ["chemistry", "architecture", "economics", "marine biology", "philosophy", "law", "mechanical engineering", "linguistics"],
  lang: ["Spanish", "Japanese", "German", "Portuguese", "Arabic", "Korean", "Italian", "Swahili"],
  instrument: ["cello", "piano", "violin", "drums", "saxophone", "ukulele", "trumpet", "bass guitar"],
  meat: ["pork", "beef", "red meat", "chicken", "lamb"],
  medicine: ["levothyroxine", "metformin", "vitamin D", "lisinopril", "an iron supplement", "omeprazole"],
  drink: ["oat milk latte", "green tea", "ginger beer", "espresso", "hot chocolate", "sparkling water"],
  fear: ["heights", "deep water", "spiders", "flying", "thunderstorms", "crowds"],
  book: ["Dune", "Middlemarch", "The Hobbit", "Beloved", "Pachinko", "The Remains of the Day", "Piranesi"],
  sport: ["tennis", "badminton", "five-a-side football", "volleyball", "squash", "basketball", "table tennis"],
  weekday: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  school: ["Riverside Elementary", "Oakwood Primary", "St. Mary's Academy", "Hillcrest Middle School", "Lakeview Montessori"],
  dish: ["mushroom risotto", "liver and onions", "olives", "blue cheese", "coriander", "sushi", "beetroot salad"],
  time: ["6:15", "6:45", "7:30", "8:10", "9:40", "noon", "2pm", "3:30"],
  diet: ["vegan", "keto", "low-sodium", "gluten-free", "Mediterranean", "pescatarian"],
  cuisine: ["Thai", "Ethiopian", "Georgian", "Korean", "Sichuan", "Lebanese", "Peruvian"],
  plate: ["KX19 BRT", "7TLM 204", "HG-552-PL", "B 4471 ZN", "LDN 83 K"],
  year: ["2009", "2012", "2015", "2017", "2019", "2021", "2023"],
  place: ["animal shelter", "food bank", "community garden", "public library", "hospice", "soup kitchen"],
  team: ["Arsenal", "Celtic", "Benfica", "Ajax", "Napoli", "Boca Juniors", "Leeds United"],
  university: ["the University of Leeds", "McGill University", "the University of Porto", "Kyoto University", "Trinity College Dublin"],
  phone: ["Pixel 8", "iPhone 13", "Fairphone 5", "Galaxy S23", "Moto G"],
  room: ["kitchen", "bathroom", "attic", "basement", "spare bedroom"],
  movie: ["Spirited Away", "Alien", "Paddington 2", "Amélie", "Heat", "Arrival", "The Godfather"],
  spot: ["blue flower pot", "doormat", "loose brick by the shed", "fridge magnet", "kitchen noticeboard"],
  season: ["autumn", "spring", "winter", "summer"],
  collectible: ["vinyl records", "vintage postcards", "fountain pens", "enamel pins", "old maps", "stamps"],
  relative: ["aunt", "grandmother", "cousin", "father-in-law", "stepbrother", "niece"],
  bone: ["wrist", "collarbone", "ankle", "left leg", "thumb"],
  bloodType: ["O negative", "A positive", "B positive", "AB negative", "O positive"],
  bodyPart: ["knee", "lower back", "shoulder", "neck"],
} as const;

type Slots = { [K in keyof typeof slots]: string } & { n: string; n2: string; name2: string };

/** One kind of fact: how the user states it, and how they later ask about it. */
interface FactTemplate {
  fact: (s: Slots) => string;
  question: (s: Slots) => string;
}

/** The fact templates (58). */
export const factTemplates: readonly FactTemplate[] = [
  { fact: (s) => `My sister ${s.name} lives in ${s.city}.`, question: (s) => `Which city is ${s.name}'s home?` },
  { fact: (s) => `I'm allergic to ${s.allergen}.`, question: () => "Which food gives me an allergic reaction?" },
  { fact: (s) => `Our dog ${s.petName} is a ${s.breed}.`, question: (s) => `What kind of breed is ${s.petName}?` },
  { fact: (s) => `I work as a ${s.job} at ${s.company}.`, question: () => "Which company do I work for?" },
  { fact: (s) => `My favourite band is ${s.band}.`, question: () => "Which band do I like the most?" },
  { fact: (s) => `I drive a ${s.color} ${s.car}.`, question: () => "What colour is the car I drive?" },
  { fact: (s) => `My birthday is on ${s.month} ${s.n}.`, question: () => "When do I celebrate my birthday?" },
  { fact: (s) => `My brother ${s.name} studies ${s.subject} in ${s.city}.`, question: (s) => `What subject is ${s.name} studying?` },
  { fact: (s) => `I speak ${s.lang} fluently.`, question: () => "Which languages can I speak?" },
  { fact: (s) => `I have been learning the ${s.instrument} for ${s.n} years.`, question: (s) => `How long have I played the ${s.instrument}?` },
  { fact: (s) => `My wife ${s.name} is a ${s.job}.`, question: (s) => `What does ${s.name} do for a living?` },
  { fact: (s) => `I stopped eating ${s.meat} ${s.n} years ago.`, question: (s) => `How many years since I gave up ${s.meat}?` },
  { fact: (s) => `My son ${s.name} is ${s.n} years old.`, question: (s) => `How old is ${s.name}?` },
  { fact: (s) => `I take ${s.medicine} every morning.`, question: () => "Which medication do I need each morning?" },
  { fact: (s) => `My favourite drink is ${s.drink}.`, question: () => "What do I like to drink?" },
  { fact: (s) => `I grew up in ${s.city}.`, question: () => "What city did I grow up in?" },
  { fact: (s) => `My cat ${s.petName} hates the vacuum cleaner.`, question: () => "Which household appliance scares my cat?" },
  { fact: (s) => `I'm training for the ${s.city} marathon in ${s.month}.`, question: () => "When is the marathon I'm running?" },
  { fact: (s) => `My partner ${s.name} and I met in ${s.city}.`, question: (s) => `Where did I first meet ${s.name}?` },
  { fact: (s) => `I'm saving up to buy a house in ${s.city}.`, question: () => "Where am I hoping to buy property?" },
  { fact: (s) => `My mother's name is ${s.name}.`, question: () => "What is my mother called?" },
  { fact: (s) => `I have a fear of ${s.fear}.`, question: () => "What is my biggest fear?" },
  { fact: (s) => `My favourite book is ${s.book}.`, question: () => "Which book do I love most?" },
  { fact: (s) => `I play ${s.sport} every ${s.weekday}.`, question: (s) => `On which day do I play ${s.sport}?` },
  { fact: (s) => `My daughter ${s.name} goes to ${s.school}.`, question: (s) => `Which school does ${s.name} attend?` },
  { fact: (s) => `I can't stand ${s.dish}.`, question: (s) => `How do I feel about ${s.dish}?` },
  { fact: (s) => `My flight to ${s.city} leaves on ${s.weekday} at ${s.time}.`, question: (s) => `When does my plane to ${s.city} depart?` },
  { fact: (s) => `I've followed a ${s.diet} diet for ${s.n} years.`, question: () => "What kind of diet am I on?" },
  { fact: (s) => `My best friend ${s.name} works at ${s.company}.`, question: (s) => `Where is ${s.name} employed?` },
  { fact: (s) => `I'm learning to cook ${s.cuisine} food.`, question: () => "Which cuisine am I learning to make?" },
  { fact: (s) => `My car's licence plate is ${s.plate}.`, question: () => "What's my licence plate number?" },
  { fact: (s) => `I moved to ${s.city} in ${s.year}.`, question: (s) => `What year did I relocate to ${s.city}?` },
  { fact: (s) => `I have ${s.n} kids.`, question: () => "How many kids are in my family?" },
  { fact: (s) => `My favourite color is ${s.color}.`, question: () => "Which colour do I like best?" },
  { fact: (s) => `I volunteer at the ${s.place} on weekends.`, question: () => "Where do I do volunteer work?" },
  { fact: (s) => `I'm going to ${s.country} for my honeymoon in ${s.month}.`, question: () => "Where are we travelling for the honeymoon?" },
  { fact: (s) => `My grandfather ${s.name} was a ${s.job}.`, question: (s) => `What was grandpa ${s.name}'s occupation?` },
  { fact: (s) => `I wake up at ${s.time} on weekdays.`, question: () => "What time do I usually get up on weekdays?" },
  { fact: (s) => `My blood type is ${s.bloodType}.`, question: () => "Which blood group am I?" },
  { fact: (s) => `I support ${s.team} in football.`, question: () => "Which football team am I a fan of?" },
  { fact: (s) => `My neighbour ${s.name} has a ${s.breed} called ${s.petName}.`, question: (s) => `What is the name of ${s.name}'s pet?` },
  { fact: (s) => `I studied ${s.subject} at ${s.university}.`, question: () => "What did I major in at university?" },
  { fact: (s) => `My phone is a ${s.phone}.`, question: () => "What kind of phone do I have?" },
  { fact: (s) => `I'm renovating the ${s.room} this month.`, question: () => "Which part of the house am I renovating?" },
  { fact: (s) => `My favourite movie is ${s.movie}.`, question: () => "What's my favourite film?" },
  { fact: (s) => `I have a meeting with ${s.name} every ${s.weekday} morning.`, question: (s) => `When do I meet ${s.name} each week?` },
  { fact: (s) => `My uncle ${s.name} owns a bakery in ${s.city}.`, question: (s) => `What business does ${s.name} run?` },
  { fact: (s) => `I'm learning ${s.lang} on an app.`, question: () => "Which language am I learning?" },
  { fact: (s) => `I keep my spare key under the ${s.spot}.`, question: () => "Where is the spare key hidden?" },
  { fact: (s) => `My wifi password is written on the ${s.spot}.`, question: () => "Where can I find the wifi password?" },
  { fact: (s) => `I sleep badly when I drink coffee after ${s.time}.`, question: () => "When should I stop drinking coffee?" },
  { fact: (s) => `My dentist appointment is on ${s.weekday} at ${s.time}.`, question: () => "When am I seeing the dentist?" },
  { fact: (s) => `I prefer ${s.season} over any other season.`, question: () => "What is my favourite season?" },
  { fact: (s) => `My cousin ${s.name} just had a baby named ${s.name2}.`, question: (s) => `What did ${s.name} call the new baby?` },
  { fact: (s) => `I collect ${s.collectible}.`, question: () => "What do I like collecting?" },
  { fact: (s) => `I cycle ${s.n} kilometres to work each day.`, question: () => "How far is my commute to work?" },
  { fact: (s) => `My ${s.relative} is visiting from ${s.city} next week.`, question: () => "Who is coming to visit next week?" },
  { fact: (s) => `I broke my ${s.bone} skiing in ${s.year}.`, question: () => "Which bone did I fracture while skiing?" },
];

/** What users say that is not a fact about themselves: requests, chit-chat, questions. */
const distractorTemplates: readonly ((s: Slots) => string)[] = [
  (s) => `Can you help me write an email to my landlord about the broken heating in the ${s.room}?`,
  (s) => `What's a good recipe for ${s.cuisine} noodles that takes less than 30 minutes?`,
  () => "Explain how photosynthesis works, in simple terms.",
  (s) => `Summarise the main causes of the first world war in ${s.n} bullet points.`,
  (s) => `Give me three ideas for a ${s.season} picnic.`,
  (s) => `How do you say "good morning" in ${s.lang}?`,
  () => "What's the difference between a virus and a bacterium?",
  () => "Can you recommend a podcast about history?",
  (s) => `I'm bored, tell me a fun fact about ${s.country}.`,
  () => "How long should I boil an egg for a runny yolk?",
  () => "Write a short poem about the sea at night.",
  (s) => `What is the capital of ${s.country}?`,
  () => "Can you check this sentence for grammar: 'Their going to the park tomorow.'",
  () => "How many cups are in a litre?",
  (s) => `What's the weather usually like in ${s.city} in ${s.month}?`,
  () => "Help me plan a weekly budget for groceries.",
  (s) => `Tell me a joke about a ${s.job}.`,
  () => "How do I fix a leaking tap?",
  () => "What are some good stretches after a long run?",
  (s) => `Is ${s.book} worth reading? What is it about?`,
  () => "Can you explain what an index fund is?",
  (s) => `Convert ${s.n}0 miles to kilometres.`,
  () => "What should I pack for a weekend camping trip?",
  () => "Why is the sky blue?",
  (s) => `Suggest a name for a ${s.color} bicycle.`,
  () => "How do I make my sourdough starter more active?",
  () => "Give me a five minute breathing exercise.",
  (s) => `Who directed ${s.movie}?`,
  () => "What is a good way to learn touch typing?",
  () => "Can you turn this into a polite reply: 'no, I can't come on Friday'?",
  () => "Thanks, that helps a lot.",
  () => "Okay, and what about the next step?",
  () => "Hmm, can you make it shorter?",
  () => "Interesting, tell me more.",
  (s) => `What time is it in ${s.city} when it's noon in London?`,
  () => "How do I remove a red wine stain from a carpet?",
  (s) => `What are the rules of ${s.sport}?`,
  () => "Write a haiku about Monday mornings.",
  () => "Which houseplants are hard to kill?",
  () => "How does compound interest work?",
];

/** Sentences an assistant reply is assembled from (chat-model filler of typical length). */
const replySentences: readonly string[] = [
  "That's a great question, and there are a few ways to think about it.",
  "Here is a short overview that should help you get started.",
  "First, it helps to break the problem into smaller steps you can check one by one.",
  "Many people find it easier to begin with the simplest version and refine it later.",
  "If you want, I can go into more detail on any of these points.",
  "The main thing to keep in mind is that small, regular habits matter more than big efforts.",
  "In practice this depends a lot on your situation, your time and your budget.",
  "A common mistake is to try to do everything at once instead of one thing at a time.",
  "You could also ask a local expert, who will know the specifics better than I do.",
  "Let me know if you would like a version that is shorter or more formal.",
  "Historically, this has been explained in several different ways by different authors.",
  "The short answer is yes, but there are a couple of exceptions worth knowing about.",
  "Here are the steps in order, with a note on what to watch out for in each.",
  "It usually takes a few tries before it feels natural, so don't be discouraged.",
  "Some sources disagree on the details, so treat the numbers as rough estimates.",
  "One simple approach is to set a timer and work in focused blocks of twenty-five minutes.",
  "For most people, the default settings are perfectly fine to begin with.",
  "If anything is unclear, tell me which part and I will explain it differently.",
  "I'd suggest writing it down so you can come back to it later.",
  "Thanks for sharing that, I'll keep it in mind for the rest of our conversation.",
  "That makes sense, and it's good context for what you asked earlier.",
  "Overall, the key is to stay consistent and adjust as you learn what works.",
  "There's no single right answer here; it's mostly a matter of preference.",
  "To be safe, double-check with official guidance before you rely on it.",
];

/** One message of a generated conversation. */
export interface GeneratedTurn {
  role: "user" | "assistant";
  content: string;
}

/** A fact planted in a conversation and the question that paraphrases it. */
export interface PlantedFact {
  /** Index of the turn (message) that states it. */
  turn: number;
  template: number;
  fact: string;
  question: string;
}

/** A generated conversation: its messages, oldest first, and the facts planted in it. */
export interface GeneratedConversation {
  turns: GeneratedTurn[];
  facts: PlantedFact[];
}

function fillSlots(random: Random): Slots {
  const filled = Object.fromEntries(Object.entries(slots).map(([key, values]) => [key, pick(random, values)])) as unknown as Slots;
  filled.n = String(between(random, 2, 12));
  filled.n2 = String(between(random, 2, 12));
  filled.name2 = pick(
    random,
    slots.name.filter((name) => name !== filled.name),
  );
  return filled;
}

function reply(random: Random): string {
  const count = between(random, 3, 7);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(pick(random, replySentences));
  return sentences.join(" ");
}

/** A distractor user message with its own random slots. */
export function distractorMessage(random: Random): string {
  return pick(random, distractorTemplates)(fillSlots(random));
}

/** A fact and its question from a random template and random slots. */
export function randomFact(random: Random, template = Math.floor(random() * factTemplates.length)): { template: number; fact: string; question: string } {
  const filled = fillSlots(random);
  const chosen = factTemplates[template]!;
  return { template, fact: chosen.fact(filled), question: chosen.question(filled) };
}

/**
 * A conversation of `turns` messages (user and assistant alternating, user first) with
 * `facts` facts from distinct templates stated in user turns at random depths.
 */
export function generateConversation({ seed, turns, facts }: { seed: number; turns: number; facts: number }): GeneratedConversation {
  const random = seededRandom(seed);
  const userTurns = Array.from({ length: Math.ceil(turns / 2) }, (_, i) => i * 2);
  const factCount = Math.min(facts, userTurns.length, factTemplates.length);
  // Distinct templates and distinct turns, both chosen by partial Fisher–Yates shuffles.
  const shuffle = <T>(list: T[], count: number): T[] => {
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(random() * (list.length - i));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list.slice(0, count);
  };
  const templates = shuffle(
    factTemplates.map((_, i) => i),
    factCount,
  );
  const at = shuffle([...userTurns], factCount);
  const planted = new Map<number, PlantedFact>();
  at.forEach((turn, i) => planted.set(turn, { turn, ...randomFact(random, templates[i]!) }));
  const messages: GeneratedTurn[] = [];
  for (let turn = 0; turn < turns; turn++) {
    if (turn % 2 === 1) messages.push({ role: "assistant", content: reply(random) });
    else messages.push({ role: "user", content: planted.get(turn)?.fact ?? distractorMessage(random) });
  }
  return { turns: messages, facts: [...planted.values()].sort((a, b) => a.turn - b.turn) };
}
