/**
 * Answers in the styles small instruction-tuned models write (step lists, markdown, LaTeX, answer
 * first, chatty endings, units, revisions), right and wrong, to GSM8K test questions given by their
 * index (line number from 0) in gsm8k/test.jsonl. Written for this project by an independent
 * reviewer; the questions and references are read from the data set at run time.
 */
export interface StyledAnswer {
  /** Style. */
  s: string;
  /** GSM8K test index. */
  q: number;
  /** Whether the answer's final number is right. */
  ok: boolean;
  /** The answer. */
  a: string;
}

export const styledAnswers: StyledAnswer[] = [
  // ---------- steps (numbered / bulleted step lists) ----------
  {
    s: "steps",
    q: 0,
    ok: true,
    a: `To find out how much Janet makes, follow these steps:

1. Janet's ducks lay 16 eggs per day.
2. She eats 3 eggs for breakfast, so 16 - 3 = 13 eggs remain.
3. She uses 4 eggs for muffins, so 13 - 4 = 9 eggs remain.
4. She sells 9 eggs at $2 each: 9 × 2 = 18.

Janet makes $18 every day at the farmers' market.`,
  },
  {
    s: "steps",
    q: 3,
    ok: true,
    a: `Step 1: Sprints per week = 3 × 3 = 9 sprints.
Step 2: Meters per sprint = 60.
Step 3: Total meters = 9 × 60 = 540 meters.

James runs 540 meters a week.`,
  },
  {
    s: "steps",
    q: 6,
    ok: true,
    a: `1. Seattle has 20 sheep.
2. Charleston has 4 times as many as Seattle: 4 × 20 = 80 sheep.
3. Toulouse has twice as many as Charleston: 2 × 80 = 160 sheep.
4. Together: 20 + 80 + 160 = 260 sheep.`,
  },
  {
    s: "steps",
    q: 9,
    ok: true,
    a: `Let's break it down:

- Regular pay for 40 hours: 40 × $10 = $400
- Overtime rate: 1.2 × $10 = $12 per hour
- Overtime hours: 45 - 40 = 5 hours
- Overtime pay: 5 × $12 = $60
- Total earnings: $400 + $60 = $460

Eliza earns $460 this week.`,
  },
  {
    s: "steps",
    q: 10,
    ok: true,
    a: `1. First month: 60 downloads
2. Second month: 3 × 60 = 180 downloads
3. Third month: 180 - 30% of 180 = 180 - 54 = 126 downloads
4. Total: 60 + 180 + 126 = 366

The program had 366 downloads over the three months.`,
  },
  {
    s: "steps",
    q: 18,
    ok: true,
    a: `Step 1: Find the number of days in 4 weeks: 4 × 7 = 28 days.
Step 2: Eggs eaten: 28 × 3 = 84 eggs.
Step 3: Convert to dozens: 84 ÷ 12 = 7.

So, Claire will eat 7 dozen eggs in 4 weeks.`,
  },
  {
    s: "steps",
    q: 27,
    ok: true,
    a: `1. Cynthia eats 1 serving per night, so in 60 days she eats 60 servings.
2. Each carton has 15 servings, so she needs 60 / 15 = 4 cartons.
3. Each carton costs $4.00, so 4 × $4.00 = $16.00.

After 60 days, Cynthia will spend $16.00 on ice cream.`,
  },
  {
    s: "steps",
    q: 33,
    ok: true,
    a: `Let the number of silver coins be x.
1. Gold coins = x + 30
2. x + (x + 30) = 110
3. 2x + 30 = 110
4. 2x = 80
5. x = 40
6. Gold coins = 40 + 30 = 70

Gretchen has 70 gold coins.`,
  },
  {
    s: "steps",
    q: 36,
    ok: true,
    a: `1. Terry eats 2 yogurts a day, so over 30 days he eats 2 × 30 = 60 yogurts.
2. Yogurts are sold 4 for $5.00, so he needs 60 / 4 = 15 packs.
3. Cost: 15 × $5.00 = $75.00.

Terry spends $75.00 on yogurt over 30 days.`,
  },
  {
    s: "steps",
    q: 0,
    ok: false,
    a: `1. Janet's ducks lay 16 eggs per day.
2. She eats 3 and bakes with 4, so she uses 3 + 4 = 7 eggs.
3. Remaining eggs: 16 - 7 = 9.
4. She sells them at $2 each: 9 + 2 = 11.

Janet makes $11 every day.`,
  },
  {
    s: "steps",
    q: 3,
    ok: false,
    a: `Step 1: James runs 3 sprints each time.
Step 2: Each sprint is 60 meters, so 3 × 60 = 180 meters.

James runs 180 meters a week.`,
  },
  {
    s: "steps",
    q: 18,
    ok: false,
    a: `Step 1: 4 weeks = 28 days.
Step 2: Claire eats 3 eggs per day, so 28 × 3 = 84 eggs.

Claire will eat 84 eggs, which is about 84 dozen.`,
  },
  {
    s: "steps",
    q: 9,
    ok: false,
    a: `1. Regular pay: 45 × $10 = $450
2. Overtime bonus: 1.2 × $10 = $12
3. Total: $450 + $12 = $462

Eliza earns $462 this week.`,
  },
  {
    s: "steps",
    q: 36,
    ok: false,
    a: `1. 2 yogurts/day × 30 days = 60 yogurts
2. 4 yogurts cost $5.00, so one yogurt costs $1.25
3. 60 × $1.25 = $70

Terry spends $70 on yogurt.`,
  },
  // ---------- markdown / bold ----------
  {
    s: "markdown",
    q: 0,
    ok: true,
    a: `### Solution

**Eggs left to sell:** 16 − 3 − 4 = **9 eggs**

**Money earned:** 9 × $2 = **$18**

**Answer:** $18`,
  },
  {
    s: "markdown",
    q: 1,
    ok: true,
    a: `**Blue fiber:** 2 bolts
**White fiber:** half of 2 = 1 bolt

**Total:** 2 + 1 = **3 bolts**`,
  },
  {
    s: "markdown",
    q: 2,
    ok: true,
    a: `## Step 1: Total investment
$80,000 + $50,000 = **$130,000**

## Step 2: New value of the house
The value increased by 150%: $80,000 × 1.5 = $120,000, so the new value is $80,000 + $120,000 = **$200,000**

## Step 3: Profit
$200,000 − $130,000 = **$70,000**

**Answer:** Josh made a profit of **$70,000**.`,
  },
  {
    s: "markdown",
    q: 11,
    ok: true,
    a: `Let's calculate each item:

| Item | Quantity | Price per dozen | Cost |
|---|---|---|---|
| Donuts | 3 | $68 | $204 |
| Mini cupcakes | 2 | $80 | $160 |
| Mini cheesecakes | 6 | $55 | $330 |

**Total cost:** $204 + $160 + $330 = **$694**`,
  },
  {
    s: "markdown",
    q: 17,
    ok: true,
    a: `**Teaching:** 35 hours/week × $20 = $700/week
**Coaching:** 15 hours/week × $30 = $450/week
**Weekly total:** $700 + $450 = $1,150

**Annual salary:** $1,150 × 50 weeks = **$57,500**`,
  },
  {
    s: "markdown",
    q: 26,
    ok: true,
    a: `- **Shorts:** 3 × $16.50 = $49.50
- **Pants:** 3 × $22.50 = $67.50
- **Shoes:** 3 × $42 = $126

**Total spent:** $49.50 + $67.50 + $126 = **$243**`,
  },
  {
    s: "markdown",
    q: 44,
    ok: true,
    a: `**Given:**
- 1 pound of beeswax → 10 candles
- Supplies cost $10.00 per pound
- Each candle sells for $2.00

**Calculation:**
- 20 candles need 2 pounds → supplies cost 2 × $10.00 = $20.00
- Revenue: 20 × $2.00 = $40.00
- **Net profit:** $40.00 − $20.00 = **$20.00**`,
  },
  {
    s: "markdown",
    q: 5,
    ok: true,
    a: `**Answer:** $64

- 8 glasses at full price: 8 × $5 = $40
- 8 glasses at 60%: 8 × $3 = $24
- Total: $40 + $24 = $64`,
  },
  {
    s: "markdown",
    q: 12,
    ok: true,
    a: `### Yearly profit
Each year Carlos earns 7 × $1.50 = $10.50 and spends $3, so he nets **$7.50** per year.

### Break-even
$90 ÷ $7.50 = 12 years to pay back the tree.

### Answer
He starts earning money in year **13**.`,
  },
  {
    s: "markdown",
    q: 2,
    ok: false,
    a: `## Solution
- Cost: $80,000 + $50,000 = $130,000
- Increase: 150% of $130,000 = $195,000
- New value: $130,000 + $195,000 = $325,000

**Profit: $195,000**`,
  },
  {
    s: "markdown",
    q: 11,
    ok: false,
    a: `**Donuts:** 3 × $68 = $204
**Cupcakes:** 2 × $80 = $160
**Cheesecakes:** 6 × $55 = $330

**Total:** **$684**`,
  },
  {
    s: "markdown",
    q: 17,
    ok: false,
    a: `**Weekly pay:** 35 × $20 + 15 × $30 = $700 + $450 = $1,150

**Annual salary:** $1,150 × 52 = **$59,800**`,
  },
  {
    s: "markdown",
    q: 26,
    ok: false,
    a: `**Answer:** $81

One of each: $16.50 + $22.50 + $42 = $81.`,
  },
  {
    s: "markdown",
    q: 12,
    ok: false,
    a: `### Break-even
Each year he earns 7 × $1.50 = $10.50.
$90 ÷ $10.50 ≈ 8.57, so about **9 years**.

**Answer: 9**`,
  },
  // ---------- LaTeX ----------
  {
    s: "latex",
    q: 0,
    ok: true,
    a: `To determine how much Janet makes every day at the farmers' market, we need to follow these steps:

1. **Calculate the total number of eggs laid by the ducks each day:**
   \\[
   16 \\text{ eggs}
   \\]

2. **Determine the number of eggs Janet eats and uses for baking each day:**
   \\[
   3 + 4 = 7 \\text{ eggs}
   \\]

3. **Calculate the number of eggs left to sell:**
   \\[
   16 - 7 = 9 \\text{ eggs}
   \\]

4. **Calculate the daily earnings:**
   \\[
   9 \\times 2 = 18 \\text{ dollars}
   \\]

Therefore, Janet makes \\(\\boxed{18}\\) dollars every day at the farmers' market.`,
  },
  {
    s: "latex",
    q: 2,
    ok: true,
    a: `First, the total cost is \\( 80{,}000 + 50{,}000 = 130{,}000 \\).

The value increased by 150%, so the new value is \\( 80{,}000 \\times 2.5 = 200{,}000 \\).

The profit is \\( 200{,}000 - 130{,}000 = 70{,}000 \\).

\\[
\\boxed{70000}
\\]`,
  },
  {
    s: "latex",
    q: 14,
    ok: true,
    a: `Contemporary: \\( 20 \\times 0.20 = 4 \\) students. Remaining: \\( 20 - 4 = 16 \\).

Jazz: \\( 16 \\times 0.25 = 4 \\). Hip-hop: \\( 16 - 4 = 12 \\).

Percentage: \\( \\frac{12}{20} \\times 100\\% = 60\\% \\).

The answer is \\(\\boxed{60\\%}\\).`,
  },
  {
    s: "latex",
    q: 24,
    ok: true,
    a: `Let \\( x \\) be the original price. After a 25\\% discount, Kyle pays 75\\% of it:
\\[
0.75x = 19.50
\\]
\\[
x = \\frac{19.50}{0.75} = 26
\\]
The original price was \\(\\boxed{\\$26}\\).`,
  },
  {
    s: "latex",
    q: 20,
    ok: true,
    a: `Water in the orange drink after the spill: \\( \\frac{2}{3} \\times 9 = 6 \\) liters.
Water in the pineapple drink: \\( \\frac{3}{5} \\times 15 = 9 \\) liters.
Total water: \\( 6 + 9 = 15 \\) liters.

Final Answer: The final answer is $15$. I hope it is correct.`,
  },
  {
    s: "latex",
    q: 32,
    ok: true,
    a: `Each dog takes \\(0.5\\) hours a day, so 10 dogs take \\(10 \\times 0.5 = 5\\) hours a day.
In a week: \\(5 \\times 7 = 35\\) hours.

$$\\boxed{35}$$`,
  },
  {
    s: "latex",
    q: 43,
    ok: true,
    a: `Remaining calories: \\(2000 - 1800 = 200\\).
Calories per gram: \\(\\frac{250 \\times 5}{300} = \\frac{1250}{300} = \\frac{25}{6}\\).
Grams: \\(200 \\div \\frac{25}{6} = 48\\).

**Final Answer**
\\[
\\boxed{48 \\text{ grams}}
\\]`,
  },
  {
    s: "latex",
    q: 19,
    ok: true,
    a: `Total time for an average of 4 mph over 12 miles: \\( \\frac{12}{4} = 3 \\) hours.
She has used \\( 1 + 1 = 2 \\) hours, so she has \\( 3 - 2 = 1 \\) hour left.
Remaining distance: \\( 12 - 4 - 2 = 6 \\) miles.
Required speed: \\( \\frac{6}{1} = 6 \\) mph.

Thus the answer is \\( \\boxed{6} \\) miles per hour.`,
  },
  {
    s: "latex",
    q: 0,
    ok: false,
    a: `Eggs left: \\( 16 - 3 = 13 \\).
Earnings: \\( 13 \\times 2 = 26 \\).

\\[
\\boxed{26}
\\]`,
  },
  {
    s: "latex",
    q: 24,
    ok: false,
    a: `The discount is 25\\%, so the original price is
\\[
19.50 \\times 1.25 = 24.375
\\]
The original price was \\(\\boxed{\\$24.38}\\).`,
  },
  {
    s: "latex",
    q: 14,
    ok: false,
    a: `Contemporary: \\(20\\%\\). Jazz: \\(25\\%\\). Hip-hop: \\(100\\% - 20\\% - 25\\% = 55\\%\\).

The answer is \\(\\boxed{55\\%}\\).`,
  },
  {
    s: "latex",
    q: 32,
    ok: false,
    a: `Each dog takes \\(0.5\\) hours, so 10 dogs take \\(10 \\times 0.5 = 5\\) hours per day.

Therefore, he spends \\(\\boxed{5}\\) hours taking care of dogs.`,
  },
  {
    s: "latex",
    q: 19,
    ok: false,
    a: `Remaining distance: \\(12 - 6 = 6\\) miles. Time left: \\(4 - 2 = 2\\) hours.
Speed: \\( \\frac{6}{2} = 3 \\).

Final Answer: The final answer is $3$. I hope it is correct.`,
  },
  // ---------- answer first, then explanation ----------
  {
    s: "answer-first",
    q: 0,
    ok: true,
    a: `Janet makes **$18** every day.

Here's how: her ducks lay 16 eggs, she eats 3 and uses 4 for muffins, leaving 9 eggs. At $2 each, 9 eggs bring in $18.`,
  },
  {
    s: "answer-first",
    q: 2,
    ok: true,
    a: `Josh made a profit of $70,000.

Explanation:
- He spent $80,000 + $50,000 = $130,000 in total.
- The 150% increase applies to the purchase price: 1.5 × $80,000 = $120,000.
- The house is now worth $80,000 + $120,000 = $200,000.
- Profit = $200,000 − $130,000.`,
  },
  {
    s: "answer-first",
    q: 18,
    ok: true,
    a: `Claire will eat 7 dozen eggs.

She eats 3 eggs a day for 28 days (4 weeks × 7 days), which is 84 eggs. Since a dozen is 12 eggs, 84 eggs is 7 dozen.`,
  },
  {
    s: "answer-first",
    q: 23,
    ok: true,
    a: `The candle will be 8 centimeters shorter.

From 1:00 PM to 5:00 PM is 4 hours, and it melts 2 cm each hour.`,
  },
  {
    s: "answer-first",
    q: 25,
    ok: true,
    a: `Marie ordered 2 boxes of pizza.

Chicken meal: $12
Milk: 5 × $3 = $15
Apples: 4 × $1.50 = $6
Subtotal: $12 + $15 + $6 = $33
Pizza: $50 − $33 = $17, and $17 ÷ $8.50 = 2 boxes.`,
  },
  {
    s: "answer-first",
    q: 28,
    ok: true,
    a: `He traveled 25 miles between the stops.

The first stop was at mile 20. The second stop was 15 miles before the end, at mile 60 − 15 = 45. So between the stops he rode 45 − 20 miles.`,
  },
  {
    s: "answer-first",
    q: 35,
    ok: true,
    a: `Mike scored 9 points in total.

In the first 20 minutes he scored 4 points. In the second 20 minutes he scored 25% more, which is 4 × 1.25 = 5 points. 4 + 5 gives his total.`,
  },
  {
    s: "answer-first",
    q: 40,
    ok: true,
    a: `**8 years old.**

Suzy's iPhone is 1 year old. Ben's is two times older, so it's 2 years old. Brandon's is four times as old as Ben's.`,
  },
  {
    s: "answer-first",
    q: 21,
    ok: true,
    a: `Raymond's son was born 14 years ago.

Samantha is 31, so Raymond is 31 + 6 = 37 years old. He had his son at 23, which was 37 − 23 years ago.`,
  },
  {
    s: "answer-first",
    q: 3,
    ok: true,
    a: `540 meters.

James runs 3 sprints, 3 times a week, so that's 9 sprints. Each sprint is 60 meters, so he runs 9 × 60 meters every week. That's a lot of running for just 3 days!`,
  },
  {
    s: "answer-first",
    q: 0,
    ok: false,
    a: `Janet makes $26 every day.

She has 16 eggs and eats 3, leaving 13 eggs. At $2 each, that's $26.`,
  },
  {
    s: "answer-first",
    q: 18,
    ok: false,
    a: `Claire will eat 84 dozen eggs.

She eats 3 eggs a day, and there are 28 days in 4 weeks, so 3 × 28 = 84.`,
  },
  {
    s: "answer-first",
    q: 28,
    ok: false,
    a: `He traveled 40 miles between the stops.

The trip is 60 miles and he stopped after 20 miles, so 60 − 20 = 40.`,
  },
  {
    s: "answer-first",
    q: 21,
    ok: false,
    a: `Raymond's son was born 8 years ago.

Raymond is 31 − 6 = 25 years old, and he had his son at 23, which was 25 − 23 = 2 years ago... Actually, let's say 8 years.`,
  },
  {
    s: "answer-first",
    q: 40,
    ok: false,
    a: `Brandon's iPhone is 4 years old.

Ben's iPhone is 1 year old and Brandon's is four times as old.`,
  },
  // ---------- explanation then answer, chatty ending ----------
  {
    s: "chatty",
    q: 0,
    ok: true,
    a: `Sure! Let's work through it.

Janet's ducks lay 16 eggs a day. She eats 3 and bakes with 4, so she has 16 - 3 - 4 = 9 eggs left. She sells each for $2, so she makes 9 × $2 = $18 per day.

I hope this helps! Let me know if you need step 3 explained.`,
  },
  {
    s: "chatty",
    q: 1,
    ok: true,
    a: `A robe needs 2 bolts of blue fiber and half that amount of white fiber, which is 1 bolt. So in total it takes 3 bolts.

Let me know if you have any other questions! 😊`,
  },
  {
    s: "chatty",
    q: 6,
    ok: true,
    a: `Great question! Seattle has 20 sheep, Charleston has 4 × 20 = 80 sheep, and Toulouse has 2 × 80 = 160 sheep. Altogether, they have 260 sheep.

Feel free to ask if you'd like me to explain any part in more detail!`,
  },
  {
    s: "chatty",
    q: 27,
    ok: true,
    a: `Cynthia eats 60 servings in 60 days. With 15 servings per carton, she needs 60 / 15 = 4 cartons. At $4.00 per carton, she will spend $16.00.

Hope that helps! If you have 2 or 3 more problems like this, send them over.`,
  },
  {
    s: "chatty",
    q: 33,
    ok: true,
    a: `If there are x silver coins, there are x + 30 gold coins. x + x + 30 = 110, so 2x = 80 and x = 40. That means Gretchen has 40 + 30 = 70 gold coins.

I hope this explanation was clear! Let me know if you want me to go over step 2 again.`,
  },
  {
    s: "chatty",
    q: 36,
    ok: true,
    a: `Terry eats 2 yogurts a day, so in 30 days he eats 60 yogurts. Since 4 yogurts cost $5.00, he buys 15 packs, which costs 15 × $5.00 = $75.00.

So Terry spends $75 on yogurt over 30 days. Let me know if there's anything else I can help with!`,
  },
  {
    s: "chatty",
    q: 5,
    ok: true,
    a: `Kylar buys 16 glasses. Every second glass costs 60% of $5, which is $3. So 8 glasses cost $5 and 8 glasses cost $3. 8 × $5 = $40 and 8 × $3 = $24. Therefore, he needs to pay $64 for the glasses.

Happy shopping! 🛍️ If the glasses were all full price, it would have been $80, so he saves $16.`,
  },
  {
    s: "chatty",
    q: 44,
    ok: true,
    a: `Charlie makes 20 candles from 2 pounds of beeswax, which costs 2 × $10 = $20 in supplies. He sells 20 candles for $2 each, earning 20 × $2 = $40. His net profit is $40 - $20 = $20.

Good luck to Charlie with his candle business! 🕯️`,
  },
  {
    s: "chatty",
    q: 10,
    ok: true,
    a: `In the first month there were 60 downloads. In the second month there were 3 times as many, so 180. In the third month downloads dropped by 30%, so 180 × 0.7 = 126. Adding them up, 60 + 180 + 126 = 366 downloads in total.

Let me know if you'd like to see this as a table, or if you want to check month 2 again!`,
  },
  {
    s: "chatty",
    q: 0,
    ok: false,
    a: `Sure! Janet's ducks lay 16 eggs a day and she eats 3, so she has 13 left. She sells them for $2 each, so she makes 13 × $2 = $26 per day.

I hope this helps! Let me know if you need step 3 explained.`,
  },
  {
    s: "chatty",
    q: 6,
    ok: false,
    a: `Seattle has 20 sheep and Charleston has 4 times as many, so 80. Toulouse has twice Charleston, so 160. Altogether, they have 240 sheep.

Feel free to ask if you'd like me to explain any part in more detail!`,
  },
  {
    s: "chatty",
    q: 27,
    ok: false,
    a: `Cynthia eats 60 servings, and each carton costs $4.00, so she will spend 60 × $4.00 = $240.

Hope that helps! Have a sweet day 🍦`,
  },
  {
    s: "chatty",
    q: 36,
    ok: false,
    a: `Terry eats 2 yogurts a day for 30 days, which is 60 yogurts. Each yogurt costs $5.00, so he spends 60 × $5 = $300.

Let me know if there's anything else I can help with!`,
  },
  {
    s: "chatty",
    q: 10,
    ok: false,
    a: `First month: 60. Second month: 180. Third month: 180 - 30 = 150. So the total is 60 + 180 + 150 = 390 downloads.

Let me know if you'd like to check month 2 again!`,
  },
  // ---------- units / money / percent / large / times ----------
  { s: "units", q: 0, ok: true, a: `She sells 9 eggs for $2 each, so she earns $18.00 a day.` },
  { s: "units", q: 0, ok: true, a: `Janet makes 18 dollars every day at the farmers' market.` },
  { s: "units", q: 2, ok: true, a: `Total cost = $80,000 + $50,000 = $130,000. New value = $80,000 × 250% = $200,000. Profit = $70,000.00.` },
  {
    s: "units",
    q: 17,
    ok: true,
    a: `Teaching pays 35 × 20 = $700 a week, coaching pays 15 × 30 = $450 a week. Over 50 weeks she earns 50 × 1,150 = $57,500 per year.`,
  },
  { s: "units", q: 17, ok: true, a: `Jill's annual salary is $57.5 thousand.` },
  {
    s: "units",
    q: 14,
    ok: true,
    a: `20% of 20 is 4 students, leaving 16. 25% of 16 is 4 students in jazz, so 12 students do hip-hop. 12 out of 20 students is 60%.`,
  },
  { s: "units", q: 14, ok: true, a: `60% of the entire students enrolled in hip-hop dance.` },
  { s: "units", q: 24, ok: true, a: `$19.50 is 75% of the original price, so the original price was $19.50 / 0.75 = $26.00.` },
  { s: "units", q: 26, ok: true, a: `3 × $16.50 + 3 × $22.50 + 3 × $42 = $49.50 + $67.50 + $126.00 = $243.00` },
  { s: "units", q: 23, ok: true, a: `From 1:00 PM to 5:00 PM is 4 hours. The candle melts 2 cm per hour, so it will be 8 cm shorter.` },
  { s: "units", q: 23, ok: true, a: `The candle burns for 4 hours, so it will be 8 centimeters shorter at 5:00 PM.` },
  { s: "units", q: 32, ok: true, a: `He spends 0.5 hours × 10 dogs = 5 hours a day, which is 35 hours a week.` },
  {
    s: "units",
    q: 43,
    ok: true,
    a: `Each serving is 300g / 5 = 60g and has 250 calories. You have 2000 - 1800 = 200 calories left, which is 200/250 = 0.8 servings, or 0.8 × 60g = 48g.`,
  },
  {
    s: "units",
    q: 12,
    ok: true,
    a: `He nets 7 × $1.50 − $3 = $7.50 per year. After 12 years he has earned $90, exactly the cost of planting. He starts earning money in the 13th year.`,
  },
  {
    s: "units",
    q: 20,
    ok: true,
    a: `The remaining 9 L of orange drink has 6 L of water and the pineapple drink has 9 L of water, so there are 15 L of water in the remaining 24 liters.`,
  },
  { s: "units", q: 27, ok: true, a: `She needs 4 cartons at $4.00 each, so she'll spend $16 after 60 days.` },
  { s: "units", q: 2, ok: false, a: `He spent $130,000 and the house is now worth $80,000 × 1.5 = $120,000, so he lost $10,000.` },
  { s: "units", q: 17, ok: false, a: `Jill earns $20 × 35 + $30 × 15 = $1,150 per week, so her annual salary is $1,150 × 52 = $59,800.` },
  { s: "units", q: 14, ok: false, a: `25% + 20% = 45% are in contemporary and jazz, so 55% of the students enrolled in hip-hop.` },
  { s: "units", q: 24, ok: false, a: `The original price was $19.50 + 25% = $24.38.` },
  { s: "units", q: 26, ok: false, a: `Mishka spent $16.50 + $22.50 + $42.00 = $81.00 on clothing.` },
  { s: "units", q: 23, ok: false, a: `From 1:00 PM to 5:00 PM the candle burns 5 hours, so it will be 10 cm shorter.` },
  { s: "units", q: 43, ok: false, a: `You have 200 calories left. 200 / 250 = 0.8 servings, and a serving is 300g, so you can eat 240g.` },
  // ---------- final sentence without a cue word, earlier sentence with a cue ----------
  { s: "no-cue-final", q: 18, ok: true, a: `She eats 3 eggs every day for 28 days. So she eats 84 eggs in total. Claire will eat 7 dozen eggs in 4 weeks.` },
  { s: "no-cue-final", q: 24, ok: true, a: `So the discount is 25%, meaning Kyle paid 75% of the price. The original price of the book was $26.` },
  { s: "no-cue-final", q: 27, ok: true, a: `So she needs 60 / 15 = 4 cartons. After 60 days, Cynthia will spend $16 on ice cream.` },
  { s: "no-cue-final", q: 35, ok: true, a: `In the second 20 minutes he scored 25% more, so 4 + 1 = 5 points. Mike scored 9 points.` },
  { s: "no-cue-final", q: 21, ok: true, a: `Raymond is 6 years older than Samantha, so he is 37. Raymond's son was born 14 years ago.` },
  { s: "no-cue-final", q: 40, ok: true, a: `Ben's iPhone is two times older than Suzy's, so it is 2 years old. Brandon's iPhone is 8 years old.` },
  { s: "no-cue-final", q: 33, ok: true, a: `Therefore there are 40 silver coins. Gretchen has 70 gold coins.` },
  { s: "no-cue-final", q: 19, ok: true, a: `She has walked 6 miles in 2 hours, so she has 6 miles and 1 hour left. She needs to walk at 6 miles per hour.` },
  { s: "no-cue-final", q: 18, ok: false, a: `She eats 3 eggs every day for 28 days. So she eats 84 eggs in total. Claire will eat 8 dozen eggs in 4 weeks.` },
  { s: "no-cue-final", q: 24, ok: false, a: `So the discount is 25% and the original price is 19.50 × 1.25. The original price of the book was $24.38.` },
  { s: "no-cue-final", q: 27, ok: false, a: `So she needs 60 / 15 = 4 cartons. After 60 days, Cynthia will spend $20 on ice cream.` },
  { s: "no-cue-final", q: 33, ok: false, a: `Therefore there are 70 gold coins and 40 silver coins. Wait, gold is 30 more, so Gretchen has 80 gold coins.` },
  // ---------- marker edge cases ----------
  {
    s: "marker",
    q: 0,
    ok: true,
    a: `**Answer:**

1. Eggs left: 16 − 3 − 4 = 9
2. Money: 9 × $2 = $18

Janet makes $18 a day.`,
  },
  { s: "marker", q: 0, ok: true, a: `The answer is 18.` },
  { s: "marker", q: 0, ok: true, a: `#### 18` },
  { s: "marker", q: 3, ok: true, a: `Answer: 3 sprints × 3 times × 60 m = 540 m` },
  { s: "marker", q: 12, ok: true, a: `The answer is 13 years (after 12 years he has only broken even).` },
  { s: "marker", q: 9, ok: true, a: `Final answer: Eliza earns $460 this week ($400 regular + $60 overtime).` },
  { s: "marker", q: 2, ok: true, a: `The answer is that Josh made $70,000 in profit.` },
  {
    s: "marker",
    q: 43,
    ok: true,
    a: `To answer this, first find the grams per serving: 300/5 = 60 g. You have 200 calories left, which is 0.8 servings. The answer: 48 grams.`,
  },
  { s: "marker", q: 6, ok: true, a: `**Final Answer:** Toulouse, Charleston, and Seattle have **260** sheep together.` },
  {
    s: "marker",
    q: 11,
    ok: true,
    a: `Final Answer: $694

Breakdown: donuts 3 × 68 = 204, cupcakes 2 × 80 = 160, cheesecakes 6 × 55 = 330.`,
  },
  { s: "marker", q: 0, ok: false, a: `The answer is 26.` },
  { s: "marker", q: 9, ok: false, a: `Final answer: Eliza earns $450 this week.` },
  { s: "marker", q: 6, ok: false, a: `**Answer:** 240 sheep` },
  {
    s: "marker",
    q: 0,
    ok: false,
    a: `**Answer:**

1. Eggs left: 16 − 3 = 13
2. Money: 13 × $2 = $26

Janet makes $26 a day.`,
  },
  { s: "marker", q: 12, ok: false, a: `The answer is 12 years.` },
  // ---------- self-correction / multiple candidates ----------
  { s: "revision", q: 0, ok: true, a: `16 - 3 = 13, 13 × 2 = 26. Wait, she also uses 4 for muffins. 16 - 3 - 4 = 9, and 9 × 2 = 18. So she makes $18.` },
  { s: "revision", q: 28, ok: true, a: `60 - 20 = 40 miles. But the second stop was 15 miles before the end, so we subtract 15: 40 - 15 = 25 miles.` },
  { s: "revision", q: 1, ok: true, a: `It takes 2 + 2/2 = 3 bolts in total, not 4.` },
  {
    s: "revision",
    q: 28,
    ok: false,
    a: `The second stop is at 60 - 15 = 45 miles. Between the stops: 45 - 20 = 25 miles. Hmm, actually he traveled 60 - 20 = 40 miles.`,
  },
  { s: "revision", q: 1, ok: false, a: `Blue: 2 bolts. White: half, so 1 bolt. In total 2 + 1 = 3... no wait, it's 2 + 2 = 4 bolts.` },
  // ---------- extra realistic ones ----------
  {
    s: "steps",
    q: 37,
    ok: true,
    a: `1. John sells 13 lego sets at $15 each: 13 × 15 = $195.
2. He buys 8 video games at $20 each: 8 × 20 = $160.
3. He has $5 left, so he spent 195 - 5 = $190 on lego sets sold... let me redo.
4. Money needed: $160 + $5 = $165.
5. Sets sold: $165 / $15 = 11 sets.
6. Sets remaining: 13 - 11 = 2.

John still has 2 lego sets.`,
  },
  {
    s: "steps",
    q: 38,
    ok: true,
    a: `1. Day 1: 3 hours.
2. Days 2 and 3: half as much, 1.5 hours each.
3. Total time: 3 + 1.5 + 1.5 = 6 hours.
4. Speed: 60 miles ÷ 6 hours = 10 mph.

John runs at 10 miles per hour.`,
  },
  { s: "units", q: 38, ok: true, a: `He runs 3 + 1.5 + 1.5 = 6 hours a week, so his speed is 60/6 = 10 mph.` },
  {
    s: "units",
    q: 39,
    ok: true,
    a: `Skip speed = 3 mph, run = 6 mph, walk = 1.5 mph. In 2 hours running she covers 12 miles and in 4 hours walking 6 miles, for a total of 18 miles.`,
  },
  {
    s: "chatty",
    q: 39,
    ok: true,
    a: `Dana skips at 3 mph, so she runs at 6 mph and walks at 1.5 mph. One-third of 6 hours is 2 hours of running (12 miles), two-thirds is 4 hours of walking (6 miles). She travels 18 miles in total. 🏃‍♀️ Have fun!`,
  },
  {
    s: "answer-first",
    q: 30,
    ok: true,
    a: `Allen will be 109 years old.

The ratio is 7:11, so the parts total 18. Each part is 162 ÷ 18 = 9. Allen is 11 × 9 = 99 now, and in 10 years he'll be 99 + 10.`,
  },
  {
    s: "latex",
    q: 30,
    ok: true,
    a: `Total parts: \\(7 + 11 = 18\\). One part: \\(162 / 18 = 9\\). Allen now: \\(11 \\times 9 = 99\\). In 10 years: \\(99 + 10 = 109\\).

\\(\\boxed{109}\\)`,
  },
  {
    s: "answer-first",
    q: 30,
    ok: false,
    a: `Allen will be 99 years old in 10 years.

Each part of the 7:11 ratio is 162 ÷ 18 = 9, so Allen is 11 × 9 = 99.`,
  },
];

export const heldOutStyledAnswers: StyledAnswer[] = [
  {
    s: "steps",
    q: 47,
    ok: true,
    a: `1. Blue ties: $200 / $40 = 5 ties.\n2. Red ties: 2 × 5 = 10 ties.\n3. Red tie price: $40 × 1.5 = $60.\n4. Red ties cost: 10 × $60 = $600.\n5. Total: $200 + $600 = $800.\n\nJohn spent $800 on ties.`,
  },
  { s: "steps", q: 56, ok: true, a: `Step 1: Each trip costs $7 + $7 = $14.\nStep 2: $42 ÷ $14 = 3.\n\nPeter can go to the movies 3 times this week.` },
  {
    s: "steps",
    q: 58,
    ok: true,
    a: `1. Fee: 25% of $40.00 = $10.00\n2. Delivery: $3.00\n3. Tip: $4.00\n4. Final price: $40.00 + $10.00 + $3.00 + $4.00 = $57.00\n\nStephen's final bill was $57.00.`,
  },
  {
    s: "steps",
    q: 61,
    ok: true,
    a: `- Material + jeweler: $500 + $800 = $1,300\n- Insurance: 10% of $1,300 = $130\n- Total: $1,300 + $130 = $1,430\n\nJanet pays $1,430 in total.`,
  },
  {
    s: "chatty",
    q: 65,
    ok: true,
    a: `Jim watches TV for 2 hours and reads for 1 hour, so that's 3 hours each time. He does this 3 times a week, so 9 hours a week. In 4 weeks he spends 36 hours on TV and reading.\n\nI hope this helps! 📺📚`,
  },
  {
    s: "chatty",
    q: 73,
    ok: true,
    a: `Five phones cost 5 × $150 = $750. The 2% interest per unit is $3 per phone, or $15 for all five. The total is $765, and split over 3 months, Shiela will pay $255 each month.\n\nLet me know if you'd like the breakdown per phone!`,
  },
  { s: "answer-first", q: 79, ok: true, a: `The grooming costs $70.\n\nThe groomer normally charges $100, and the 30% discount takes off $30.` },
  { s: "answer-first", q: 82, ok: true, a: `Their combined weight is 623 pounds.\n\nAlex weighs 4 × 125 − 2 = 498 pounds, and Grace weighs 125 pounds.` },
  { s: "answer-first", q: 88, ok: true, a: `Harald sold 8,000 copies.\n\nIf Harald sold x copies, Marilyn sold 10x, so 11x = 88,000 and x = 8,000.` },
  { s: "answer-first", q: 105, ok: true, a: `Together they eat 20 cookies.\n\nAmir eats 5 and Cody eats three times as many, which is 15.` },
  { s: "answer-first", q: 96, ok: true, a: `**3 hours**\n\nJames slept 2/3 of 9 hours, which is 6 hours.` },
  {
    s: "latex",
    q: 91,
    ok: true,
    a: `Cindy has \\(4\\) pets. Marcia has \\(4 + 2 = 6\\) pets. Jan has \\(3 \\times 6 = 18\\) pets.\n\nTotal: \\(4 + 6 + 18 = 28\\).\n\n\\(\\boxed{28}\\)`,
  },
  {
    s: "latex",
    q: 103,
    ok: true,
    a: `The city is 42 miles across and each 3 miles take 10 minutes:\n\\[\n\\frac{42}{3} \\times 10 = 14 \\times 10 = 140\n\\]\nSo it takes \\(140\\) minutes.`,
  },
  {
    s: "markdown",
    q: 63,
    ok: true,
    a: `**First half:** 6 × $140 = $840\n**Second half:** 10% less → $126/month × 6 = $756\n\n**Total for the year:** **$1,596**`,
  },
  { s: "markdown", q: 62, ok: true, a: `**Answer:** $25,000\n\nAfter 30 years she gets 5% × (30 − 20) = 50% of $50,000.` },
  { s: "units", q: 60, ok: true, a: `20% of 25 is 5 unripe oranges. Bad + unripe + sour = 1 + 5 + 2 = 8, so 25 − 8 = 17 oranges are good.` },
  { s: "units", q: 119, ok: true, a: `Lylah's salary was $40,000 and Adrien's was $52,000. Four years later Adrien earns 1.4 × $68,000 = $95,200.` },
  { s: "units", q: 87, ok: true, a: `After 3 years the salary is $600 + 3 × $60 = $780 per month, so the annual salary is $780 × 12 = $9,360.` },
  {
    s: "no-cue-final",
    q: 75,
    ok: true,
    a: `The top level is 16 sq ft, so the levels are 16, 32, 64 and 128 sq ft. The average square footage of a level is 60.`,
  },
  { s: "no-cue-final", q: 77, ok: true, a: `Sarah does 400 pounds, so Raymond does 200 and David does 100. The difference is 100 pounds.` },
  {
    s: "no-cue-final",
    q: 98,
    ok: true,
    a: `So 30 cars drove through in the first 15 minutes. Therefore 5 cars... wait. In the first 15 minutes, 5 cars drove through.`,
  },
  { s: "no-cue-final", q: 114, ok: true, a: `Brittany's phone holds 1800 / 6 = 300 photos, so 300 = 50 × birds. There are 6 birds in Jamal's photograph.` },
  // wrong
  {
    s: "steps",
    q: 47,
    ok: false,
    a: `1. Blue ties: $200 / $40 = 5 ties.\n2. Red ties: 2 × 5 = 10 ties.\n3. Red ties cost: 10 × $40 = $400.\n4. Total: $200 + $400 = $600.\n\nJohn spent $600 on ties.`,
  },
  { s: "chatty", q: 65, ok: false, a: `Jim watches 2 hours of TV and reads 1 hour, so 3 hours. In 4 weeks that's 3 × 4 = 12 hours.\n\nI hope this helps!` },
  { s: "answer-first", q: 79, ok: false, a: `The grooming costs $30.\n\nThe groomer charges $100 and the discount is 30%.` },
  { s: "answer-first", q: 82, ok: false, a: `Their combined weight is 498 pounds.\n\nAlex weighs 4 × 125 − 2 = 498 pounds.` },
  { s: "answer-first", q: 105, ok: false, a: `They eat 15 cookies together.\n\nCody eats 3 × 5 = 15 cookies.` },
  { s: "latex", q: 91, ok: false, a: `Marcia: \\(4 + 2 = 6\\). Jan: \\(3 \\times 6 = 18\\). Total: \\(18 + 6 = 24\\).\n\n\\(\\boxed{24}\\)` },
  { s: "markdown", q: 63, ok: false, a: `**Total:** 12 × $140 = **$1,680**` },
  { s: "units", q: 60, ok: false, a: `1 bad, 20% unripe, 2 sour. 25 − 1 − 20 − 2 = 2 oranges are good.` },
  { s: "no-cue-final", q: 77, ok: false, a: `Sarah does 400 pounds, so Raymond does 200. The difference is 300 pounds.` },
  { s: "no-cue-final", q: 96, ok: false, a: `James slept 2/3 of 9 hours, so 6 hours. Harry slept 6 more hours.` },
  { s: "steps", q: 56, ok: false, a: `Step 1: $42 ÷ $7 = 6.\n\nPeter can go 6 times.` },
  { s: "markdown", q: 62, ok: false, a: `**Answer:**\n\n- Pension: $50,000\n- 5% × 20 = 100%\n\nShe gets $50,000.` },
  { s: "answer-first", q: 88, ok: false, a: `Harald sold 8,800 copies.\n\n88,000 / 10 = 8,800.` },
];
