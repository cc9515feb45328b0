/**
 * The built-in concept lexicon of the fast router: groups of words and phrases that stand for
 * one concept (a programming language, a maths term, a cooking word...).
 *
 * A query that contains any phrase of a group gets the group's concept feature (and, for
 * two or more hits, a "2+" feature). The classifier learns one weight per concept from the
 * training examples, so a word that appears in no training example still counts through its
 * group. That is where most of the generalisation to unseen queries comes from.
 *
 * Only words whose sense is clear out of context belong here: "function", "class", "plot",
 * "go", "mean", "log" and the like are left to the n-gram features.
 *
 * @module
 */

/**
 * Concept groups, keyed by concept name `domain.concept`. The domain part (before the first
 * dot; several domains joined by `+`) feeds the domain-combination features, e.g. a query
 * with a `code.*` and a `math.*` hit gets `code&math`. A name starting with `~` marks a weak
 * group that yields its own feature but counts for no domain.
 *
 * Phrases are matched on whole, lightly stemmed tokens, case-insensitively; a phrase of
 * several words matches consecutive tokens.
 */
export type RouterLexicon = Readonly<Record<string, readonly string[]>>;

const words = (text: string): string[] =>
  text
    .split(",")
    .map((w) => w.trim().replace(/\s+/g, " "))
    .filter((w) => w.length > 0);

/**
 * The default lexicon for the `code` / `math` / `general` routes. Group names describe the
 * concept; the classifier only sees them as opaque feature names.
 */
export const DEFAULT_ROUTER_LEXICON: RouterLexicon = {
  /** Programming languages, runtimes, frameworks and developer tools. */
  "code.lang": words(`
    python, python3, pythonic, javascript, js, typescript, ts, java, cplusplus, cpp, csharp, fsharp,
    golang, kotlin, scala, haskell, perl, lua, php, elixir, erlang, clojure, ocaml, fortran, cobol,
    assembly language, asm, zig, groovy, vba, vbnet, objective-c, objc, solidity, dart, flutter, bash,
    zsh, powershell, shell script, sql, mysql, postgres, postgresql, sqlite, tsql, plsql, mongodb,
    redis, html, css, scss, sass, tailwind, jsx, tsx, nodejs, node, deno, react, reactjs, vue, vuejs,
    angular, svelte, nextjs, nuxt, django, flask, fastapi, expressjs, spring boot, springboot,
    laravel, symfony, dotnet, aspnet, jquery, graphql, lodash, axios, pytest, jest, vitest, mocha,
    junit, webpack, vite, babel, eslint, prettier, npm, pnpm, yarn, pip, conda, virtualenv, venv,
    cargo, maven, gradle, cmake, makefile, gcc, clang, llvm, jvm, wasm, webassembly, android, swiftui,
    xcode, unity, godot, opengl, cuda, electron, selenium, puppeteer, playwright, kafka, rabbitmq,
    elasticsearch, terraform, ansible, docker, dockerfile, docker-compose, kubernetes, k8s, kubectl,
    helm, aws, ec2, gcp, azure, nginx, linux, ubuntu, debian, unix, vscode, vim, neovim, emacs,
    intellij, jupyter, git, github, gitlab, bitbucket, stackoverflow, rust, rustc, ruby on rails, rails,
    in go, go code, go program, in c, c program, c code, in rust, rust code, in swift, swift code,
    in ruby, ruby code, in java, java code, in kotlin, in scala, in lua, in perl, in bash, in sql,
    chmod, grep, sed, awk, curl, wget, ssh, cron, crontab, sudo, systemd, localhost, powershell
  `),
  /** Programming concepts and vocabulary. */
  "code.term": words(`
    code, coding, coder, program, programming, programmer, script, scripting, method, loop, for loop,
    while loop, array, dict, hashmap, hash map, string, substring, strings, boolean, bool, int, char,
    null, nullptr, undefined, pointer, struct, enum, interface, generics, typedef, namespace, module,
    library, dependency, import, compile, compiler, compilation, runtime, interpreter, syntax, bug,
    debug, debugger, breakpoint, refactor, linter, lint, unit test, test case, mock, api, endpoint,
    sdk, http, https, json, yaml, xml, regex, regexp, regular expression, database, sql query, schema,
    orm, repo, repository, commit, rebase, pull request, merge conflict, deploy, deployment,
    container, server, backend, frontend, full stack, website, web app, webapp, cli, terminal,
    command line, stdin, stdout, stderr, environment variable, config, thread, multithreading,
    concurrency, async, await, promise, callback, coroutine, goroutine, mutex, deadlock,
    race condition, recursion, recursive, iterator, generator, lambda, closure, decorator,
    inheritance, polymorphism, encapsulation, oop, object oriented, constructor, getter, setter,
    singleton, design pattern, mvc, event loop, dom, cookie, jwt, oauth, cors, cache, caching,
    memory leak, garbage collector, garbage collection, serialize, deserialize, parser, parsing,
    utf-8, unicode, bitwise, mutable, immutable, const, def, println, printf, console.log, void,
    typeof, instanceof, codebase, source code, open source, framework, plugin, component, props,
    usestate, useeffect, frontend, backend, microservice, docker image, localhost, bytecode,
    variable name, function call, return value, data type, type error, type hint, variable scope,
    refactoring, snippet, ide, readme, markdown, gitignore, ci/cd, pipeline, dev, developer, software
  `),
  /** Errors, crashes and debugging vocabulary. */
  "code.error": words(`
    error, errors, exception, traceback, stack trace, stacktrace, segfault, segmentation fault,
    stack overflow, crash, crashes, crashing, typeerror, valueerror, keyerror, indexerror,
    syntaxerror, referenceerror, attributeerror, importerror, modulenotfounderror,
    nullpointerexception, null pointer, undefined reference, cannot find module, not defined,
    not a function, permission denied, timed out, deprecated, throws, thrown, compile error,
    runtime error, syntax error, error message, error code, exit code, core dumped
  `),
  /** Something failing: strong for code, but also said of cars, plans and people. */
  "~code.trouble": words(`
    failed, fails, failing, broken, doesn't work, does not work, not working, won't, stuck,
    hangs, freezes, slow, faster, fix, fixing, issue, problem, warning, timeout, 404, 500
  `),
  /** Data structures and general (non-numeric) algorithms. */
  "code.algo": words(`
    algorithm, algorithms, data structure, data structures, linked list, binary tree, bst,
    binary search, trie, hash table, queue, deque, priority queue, graph traversal, bfs, dfs,
    breadth-first, depth-first, topological sort, sort, sorting, sorted, quicksort, mergesort,
    merge sort, bubble sort, insertion sort, selection sort, heapsort, heap sort, dijkstra,
    backtracking, dynamic programming, memoization, greedy algorithm, two pointers, sliding window,
    leetcode, hackerrank, adjacency list, adjacency matrix, union find, linked lists
  `),
  /** Complexity analysis. */
  "code+math.complexity": words(`
    big o, big-o, bigo, time complexity, space complexity, complexity, asymptotic, asymptotically,
    recurrence, recurrence relation, master theorem, amortized, worst case, worst-case, best case,
    average case, running time, runtime complexity, operations count, number of operations,
    number of comparisons, comparisons, log n, n log n, nlogn
  `),
  /** Numeric and scientific computing tools. */
  "code+math.numeric": words(`
    numpy, np, scipy, sympy, pandas, matplotlib, seaborn, scikit-learn, sklearn, statsmodels,
    tensorflow, pytorch, torch, keras, matlab, octave, julia, mathematica, wolfram, excel,
    spreadsheet, google sheets, in r, r code, r script, rstudio, ggplot, ggplot2, dataframe,
    numba, jax, blas, lapack, bigdecimal, bigint, biginteger, math.h, cmath, float64, float32,
    floating point, floating-point, integer overflow, overflow, precision, random number,
    random numbers, simulation, simulate, monte carlo, numerical, numerically, vectorize
  `),
  /** Web, UI and front-end vocabulary. */
  "code.web": words(`
    html element, div, span, css class, stylesheet, selector, flexbox, css grid, media query,
    viewport, responsive design, navbar, dropdown, tooltip, checkbox, textbox, input field,
    button, buttons, onclick, event listener, event handler, form validation, modal dialog, svg, browser, devtools, localstorage, sessionstorage, dom, virtual dom, hydration,
    ssr, spa, pwa, web page, webpage, landing page, web server, front-end, back-end, redux,
    state management, props drilling, component library, bootstrap, material ui, scrollbar,
    z-index, padding, font-size, hover, iframe, favicon, sitemap, seo, cdn
  `),
  /** Databases and data engineering. */
  "code.data": words(`
    primary key, foreign key, table schema, left join, inner join,
    outer join, group by, order by, where clause, subquery, stored procedure,
    , nosql, document store, key-value store, crud, query optimization, explain analyze, sql injection, orm, prisma, sequelize,
    sqlalchemy, hibernate, dynamodb, firestore, firebase, supabase, cassandra, neo4j, etl,
    data pipeline, csv file, json file, parquet, bigquery, snowflake, warehouse schema, null values, duplicate rows
  `),
  /** Operating systems, memory, networking and security. */
  "code.system": words(`
    memory leak, out of memory, memory allocation, database index, database migration,
    , heap memory, stack memory, allocation, malloc, calloc, realloc, free memory,
    pointer arithmetic, reference counting, borrow checker, lifetimes, ownership, stack frame,
    call stack, kernel, syscall, system call, process id, pid, fork, daemon, signal handler,
    file descriptor, file handle, buffer, buffers, pipe, stdin, sockets, socket, tcp, udp,
    ip address, ipv4, ipv6, dns, http request, https request, status code, headers, proxy,
    reverse proxy, load balancer, firewall, ssl, tls, encryption, decryption,
    hashing, hash function, password hashing, bcrypt, argon2, authentication, authorization,
    login, api key, access token, refresh token, uuid, guid, base64, ascii, endianness,
    big-endian, little-endian, byte order, bytes, bits, virtual machine, vm, hypervisor, wsl,
    command prompt, cmd, path variable, env var, environment variables, bash profile,
    permissions, file permissions, symlink, disk space, port, localhost
  `),
  /** Language constructs and software design vocabulary. */
  "code.construct": words(`
    keyword, keywords, return statement, break statement, switch statement, if statement, elif, ternary, operator overloading, overloading, overriding, trait, traits, mixin,
    prototype, this keyword, scope, hoisting, callback hell, arrow function, anonymous function,
    higher-order function, pure function, side effect, side effects, immutability, destructuring,
    spread operator, optional chaining, nullish, type annotation, type checking, static typing,
    dynamic typing, null safety, abstract class, abstraction, dependency injection,
    solid principles, dry, clean code, code smell, tech debt, boilerplate, legacy code,
    factory pattern, observer pattern, mvvm, middleware, controller, route handler, webhook,
    payload, request body, response body, rest api, restful, grpc, serverless, worker thread,
    thread pool, event emitter, listener, handler, attribute,
    attributes, parameter, parameters,
    return type, overload, exception handling, try catch, try/catch, try except,
    finally block, assertion, assert, unit testing, integration test, e2e, tdd, test suite,
    code review, merge request, version control, branching, semver, changelog, package.json,
    requirements.txt, header file, linker, build system, bundler, transpile, minify, polyfill,
    typings, formatter, autocomplete, syntax highlighting, plugin, extension, cli tool
  `),
  /** Mathematical vocabulary. */
  "math.term": words(`
    math, maths, mathematics, mathematical, mathematically, equation, equations, integral,
    integrals, integrate, antiderivative, derivative, derivatives, differentiate, differentiation,
    differential, calculus, algebra, algebraic, geometry, geometric, trigonometry, trig, sine,
    cosine, tangent, sin, cos, tan, arcsin, arccos, arctan, cot, logarithm, logarithms, ln,
    exponent, exponents, exponential, polynomial, polynomials, quadratic, cubic, linear equation,
    factorial, prime, primes, prime number, composite, gcd, gcf, lcm, divisor, divisors, divisible,
    divisibility, fraction, fractions, numerator, denominator, percent, percentage, ratio,
    proportion, proportional, theorem, proof, prove, lemma, corollary, axiom, conjecture, induction,
    converge, convergence, converges, diverge, divergent, infinite series, infinity, asymptote,
    area, volume, perimeter, circumference, radius, diameter, triangle, rectangle, square root,
    cube root, sqrt, circle, sphere, cylinder, cone, polygon, hexagon, pentagon, angle, angles,
    radians, hypotenuse, pythagorean, pythagoras, slope, intercept, parabola, hyperbola, ellipse,
    vectors, matrix, matrices, determinant, eigenvalue, eigenvalues, eigenvector, eigenvectors,
    transpose, dot product, cross product, linear algebra, modulo, modular arithmetic, remainder,
    congruence, congruent, arithmetic, multiply, multiplied, multiplication, divide, divided,
    division, subtract, subtraction, addition, quotient, plus, minus, squared, cubed, simplify,
    coefficient, coefficients, inequality, inequalities, absolute value, roots, complex number,
    imaginary, rational, irrational, integer, integers, natural number, whole number, even number,
    odd number, number theory, set theory, topology, group theory, combinatorics, permutation,
    permutations, combination, combinations, binomial, pascal's triangle, fibonacci,
    golden ratio, pi, euler's number, calculate, calculation, compute, computation, solve for,
    solution set, x-axis, y-axis, graph of, vertex, formula, formulas, sum of, product of,
    geometric series, arithmetic series, sequence, taylor,
    maclaurin, fourier, laplace, partial derivative, gradient, vector field, dx, dy, dt
  `),
  /** Talk about numbers as such: frequent in maths, but also said in passing elsewhere. */
  "~math.number": words(`
    number, numbers, digit, digits, numeric, value, values, sum, product, result, answer, equal,
    equals, twice, half, zero, positive, negative, odd, even, square, cube, power
  `),
  /** Calculus, analysis, geometry and algebra techniques. */
  "math.technique": words(`
    chain rule, product rule, quotient rule, power rule, l'hopital, l'hospital, implicit
    differentiation, related rates, critical point, critical points, inflection point, local
    maximum, local minimum, maxima, minima, concave, convex, tangent line, secant line, riemann sum,
    definite integral, indefinite integral, integration by parts, by parts, u-substitution,
    partial fractions, trig identity, trig identities, unit circle, law of sines, law of cosines,
    sohcahtoa, arc length, inscribed, quadrilateral, parallelogram, trapezoid,
    rhombus, prism, surface area, diagonal, diagonals, similar triangles, isosceles,
    equilateral, scalene, obtuse, right angle, right triangle, bisector, midpoint, cartesian, polar coordinates, complex plane, conjugate, vector space, linear independence, linearly independent, null space, orthogonal,
    projection, unit vector, inverse matrix, identity matrix, invertible, singular
    matrix, diagonalize, abstract algebra, group theory, subgroup, isomorphism, homomorphism,
    real analysis, epsilon, continuity, continuous function, differentiable, harmonic series,
    geometric sequence, arithmetic sequence, nth term, exponential growth, exponential decay,
    half-life, natural log, base 10, scientific notation, significant figures, approximation,
    long division, times table, multiplication table, decimal point, mixed number, improper
    fraction, simplest form, lowest terms, common denominator, least common denominator,
    greatest common factor, prime factorization, consecutive integers, number line,
    interval notation, domain and range, function notation, composition of functions, inverse
    function, piecewise, slope-intercept, point-slope, system of equations, substitution method,
    elimination method, quadratic formula, completing the square, discriminant, vertex form,
    factoring, factorise, factorize, binomial theorem, pigeonhole, counting principle,
    arrangements, without replacement, with replacement, independent
    events, mutually exclusive, venn diagram, truth table, contrapositive, contradiction, qed,
    countable, uncountable, cardinality, subset, subsets, radius of
    convergence, power series, ratio test, limit of, approaches, tends to, goes to infinity, how many ways, what fraction, what percent, percent of, percentage of
  `),
  /** Probability and statistics. */
  "math.stats": words(`
    probability, probabilities, statistics, statistical, statistically, average, median,
    arithmetic mean, variance, standard deviation, std, stdev, distribution, normal distribution,
    gaussian, poisson, binomial distribution, expected value, expectation, random variable,
    z-score, t-test, p-value, confidence interval, hypothesis test, null hypothesis, regression,
    correlation, covariance, sample size, sampling, percentile, quartile, outlier, histogram,
    bayes, bayesian, conditional probability, odds, dice, die roll, coin, coins, coin flip,
    lottery, likelihood, chi-square, anova, standard error, margin of error, weighted average
  `),
  /** Quantities, money and the wording of word problems. */
  "~math.quantity": words(`
    how many, how much, total, altogether, in total, in all, each, per, twice, half, double, triple,
    times as many, times as much, more than, less than, fewer, left over, remaining, remain,
    costs, cost, price, priced, spent, spend, spends, bought, buys, sold, sells, earn, earns,
    earned, discount, tax, tip, interest rate, compound interest, simple interest, profit, loss,
    dozen, years old, older, younger, speed, rate, distance, travels, traveled, travelled,
    average speed, km, kilometer, kilometers, kilometre, kilometres, meter, meters, metre, metres,
    cm, mm, mile, miles, mph, kph, km/h, kmh, feet, foot, ft, inch, inches, yard, yards, kg,
    kilogram, kilograms, gram, grams, pound, pounds, lb, lbs, ounce, ounces, oz, ton, tons, liter,
    liters, litre, litres, ml, gallon, gallons, fahrenheit, celsius, kelvin, hectare, hectares,
    acre, acres, m/s, square meters, square feet, cubic, convert, conversion, exchange rate, wage,
    hourly, salary, installments, monthly payment, loan, mortgage, percent off, markup
  `),
  /** History, biography and events. */
  "general.history": words(`
    history, historical, historically, century, centuries, ancient, medieval, war, wars, empire,
    king, queen, president, emperor, revolution, dynasty, civilization, invented, inventor,
    invention, discovered, discovery, born, died, biography, famous, who was, who were,
    who invented, who discovered, who wrote, who created, who founded, founded, battle, treaty,
    colonial, independence, pharaoh, renaissance, world war, ww2, wwii, cold war, nobel prize
  `),
  /** Geography, places and travel. */
  "general.place": words(`
    country, countries, capital, capital city, city, cities, continent, population, river,
    mountain, ocean, island, border, flag, europe, asia, africa, america, australia, travel,
    trip, vacation, holiday, holidays, visit, visiting, visa, flight, flights, hotel, itinerary,
    tourist, tourists, passport, airport, destination, beach, backpacking, sightseeing, abroad
  `),
  /** Everyday life, advice, relationships and work. */
  "general.life": words(`
    advice, tips, recommend, recommendation, recommendations, relationship, friend, friends,
    boyfriend, girlfriend, wife, husband, partner, family, kids, children, parents, mom, dad,
    wedding, birthday, gift, gifts, career, job, jobs, interview, resume, boss, coworker,
    colleague, motivation, motivated, stress, stressed, anxiety, productivity, hobby, habit,
    habits, dating, breakup, apartment, rent, neighbor, pet, pets, dog, cat, garden, gardening,
    cleaning, clean, laundry, stain, furniture, car, fashion, clothes, wear, feel, feeling,
    lonely, happy, sad, should i, what should, opinion, pros and cons, etiquette, manners
  `),
  /** Health, fitness and the body. */
  "general.health": words(`
    health, healthy, doctor, symptoms, symptom, disease, illness, sick, pain, headache, fever,
    medicine, medication, vitamin, vitamins, diet, nutrition, exercise, exercises, workout,
    fitness, sleep, sleeping, weight loss, lose weight, muscle, muscles, injury, allergy,
    allergies, flu, covid, vaccine, vaccines, blood pressure, diabetes, cancer, heart, skin,
    teeth, stomach, pregnant, pregnancy, therapy, mental health, depression, running, yoga,
    stretching, protein, sugar, caffeine, hydration, immune, infection, antibiotics
  `),
  /** Food and cooking. */
  "general.food": words(`
    recipe, recipes, cook, cooking, cooked, bake, baking, baked, ingredients, ingredient, dinner,
    lunch, breakfast, meal, meals, chicken, beef, pork, fish, pasta, rice, soup, salad, cake, bread,
    cookies, vegetarian, vegan, oven, boil, boiled, fry, fried, grill, sauce, spices, spicy, wine,
    coffee, tea, dessert, chocolate, cheese, eggs, vegetables, fruit, kitchen, flavor, flavour,
    marinade, dough, pizza, sandwich, snack, restaurant
  `),
  /** Writing, language, literature and media. */
  "general.writing": words(`
    essay, poem, poems, poetry, story, stories, letter, email, cover letter, speech, toast,
    summary, summarize, summarise, paragraph, rewrite, proofread, grammar, synonym, synonyms,
    translate, translation, meaning, definition, define, novel, novels, book, books, author,
    authors, movie, movies, film, films, song, songs, lyrics, music, album, haiku, joke, jokes,
    riddle, slogan, caption, tagline, bio, blog post, article, headline, tone, polite, formal,
    informal, spanish, french, german, italian, japanese, chinese, english, word, phrase, idiom,
    pronounce, pronunciation, spelling, literature, shakespeare, character, characters, fiction,
    series finale, tv show, netflix, podcast, game, games, sport, sports, football, soccer
  `),
  /** Natural sciences explained in words. */
  "general.science": words(`
    science, scientific, biology, chemistry, planet, planets, star, stars, sun, moon, earth,
    universe, galaxy, black hole, atom, atoms, molecule, molecules, cell, cells, dna, gene, genes,
    genetic, evolution, species, animal, animals, plant, plants, photosynthesis, climate,
    weather, volcano, earthquake, gravity, bacteria, virus, viruses, brain, neuron, ecosystem,
    oxygen, carbon, water cycle, rainbow, electricity, magnet, magnetism, dinosaurs, fossil,
    organ, organs, blood, hormone, tides, seasons, sky
  `),
  /** Society, economy, politics, philosophy and culture. */
  "general.society": words(`
    government, election, elections, vote, voting, law, laws, congress, parliament, senate,
    constitution, policy, politics, political, democracy, economy, economics, economic,
    inflation, recession, gdp, stock market, stocks, bonds, investing, investment, credit score,
    bank, banking, insurance, retirement, philosophy, philosopher, stoicism, ethics, ethical,
    morality, moral, religion, religious, god, buddhism, hinduism, christianity, islam,
    judaism, culture, cultural, tradition, traditions, society, social, company, companies,
    startup, business, marketing, brand, branding, customer, customers, product description,
    sales pitch, manager, management, team building, meeting, meetings, employee, employees,
    hiring, llc, shipping, logistics, etymology, origin of the word, mythology, legend, myth,
    art, artist, sculpture, architecture, museum, famous for, known as,
    considered, father of, mother of, legacy, influence, influential, contribution, contributed
  `),
  /** Sports, games and hobbies. */
  "general.sport": words(`
    world cup, olympics, olympic, football, soccer, basketball, baseball, tennis, golf, cricket,
    rugby, hockey, nba, nfl, fifa, championship, champion, champions, league, tournament,
    team, teams, player, players, coach, athlete, marathon, chess, poker, board game, video game,
    guitar, piano, violin, drums, drawing, knitting, photography, camping, hiking,
    fishing, surfing, skiing
  `),
  /** Home, household and DIY. */
  "general.home": words(`
    house, home, roommate, landlord, tenant, heater, air conditioner, repair, diy, plumbing, mold, paint, wall, carpet, couch, bedroom, bathroom, fridge, washing machine,
    dishwasher, lawn, plant, plants, houseplant, houseplants, tomato, fruit flies, pest, pests
  `),
  /** Greetings and small talk. */
  "general.chat": words(`
    hello, hi, hey, thanks, thank you, how are you, good morning, good night, who are you,
    what's up, lol, bored, chat, talk, nice to meet you, goodbye, bye
  `),
};
