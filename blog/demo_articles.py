"""Demo articles loaded by `seed_demo`, written for this site."""

ARTICLES = [
    {
        "slug": "regretting-smp-laser-tattoo-removal",
        "title": "Regretting SMP? Exploring Laser Tattoo Removal For Bad SMP",
        "summary": (
            "Unhappy with your scalp micropigmentation? Here is how laser removal fades unwanted "
            "SMP, what sessions involve and where to start."
        ),
        "topic": "laser-removal",
        "tags": ["laser", "correction", "consultation"],
        "published": "2024-04-12",
        "status": "published",
        "days_from_now": None,
        "cta_type": "laser_smp",
        "hero_alt": (
            "Illustration of a shaved head whose dotted hairline fades out towards the crown"
        ),
        "body": (
            "<p>If you had scalp micropigmentation and now wish you hadn't, plenty of people "
            "are in the same position, and there is a way forward. Regret happens more often "
            "than people might think, and it is nothing to feel embarrassed about.</p>"
            "<p>As SMP has become more popular, the number of people offering it has grown "
            "quickly, and not all of them have the training or experience the work demands. "
            "That is why we always suggest three checks before anyone picks up a needle: ask "
            "what qualifications the practitioner holds, spend time looking through real "
            "photos of their healed work, and sit down for a proper consultation about what "
            "you want.</p>"
            "<h2>A quick reminder of what SMP is</h2>"
            "<p>Scalp micropigmentation places tiny deposits of pigment into the upper layers "
            "of the scalp. Each dot mimics a short hair follicle, so from normal viewing "
            "distance the head looks closely shaved rather than bald. People use it to "
            "disguise thinning patches, add a sense of fullness or rebuild a receding "
            'hairline. You can read more on our <a href="/scalp-micropigmentation/">SMP '
            "page</a>.</p>"
            "<h2>Why some people come to regret it</h2>"
            "<ul>"
            "<li><strong>The result was not what they hoped for.</strong> The hairline may "
            "be too sharp, too low or too dark, or the dots may have blurred together.</li>"
            "<li><strong>Their taste has changed.</strong> A look that felt right five years "
            "ago may not suit the person they are now.</li>"
            "<li><strong>Life has moved on.</strong> A new job, a new relationship or simply "
            "growing older can change how someone wants to look.</li>"
            "<li><strong>They chose on price.</strong> A cheap, inexperienced technician is "
            "one of the most common reasons people end up unhappy.</li>"
            "</ul>"
            "<p>Because SMP pigment lasts for years, feeling stuck with it can be upsetting. "
            "This is where laser treatment comes in.</p>"
            "<h2>How laser removal works on SMP</h2>"
            "<p>The laser sends very short, controlled pulses of light into the skin. The "
            "pigment absorbs that energy and breaks into smaller fragments, which your body's "
            "own clearing systems then carry away over the following weeks. Each session "
            "breaks down a little more, so the pigment fades in stages rather than all at "
            "once.</p>"
            "<h2>Why laser suits SMP</h2>"
            "<ol>"
            "<li><strong>It is targeted.</strong> The practitioner can aim at the pigmented "
            "dots and leave the surrounding skin largely alone.</li>"
            "<li><strong>You stay in charge of the pace.</strong> Because fading happens "
            "gradually, you can stop once the area is light enough, for example to have new "
            "SMP done over it.</li>"
            "<li><strong>Most people cope with it well.</strong> Modern lasers and careful "
            "technique mean the sensation is usually described as brief and manageable.</li>"
            "<li><strong>It scales to the job.</strong> A small patch along the hairline and "
            "a fully treated scalp can both be approached with laser.</li>"
            "</ol>"
            "<h2>What to expect</h2>"
            "<p>Everything starts with a consultation with a qualified, experienced "
            "practitioner, who will look at your SMP, talk through what you want and explain "
            "a realistic plan. Most people need several sessions, spaced a number of weeks "
            "apart so the skin can recover and the body can clear the broken-down pigment. "
            "Afterwards, a little short-lived redness or tenderness is usual, and it tends to "
            "settle quickly. Results vary from person to person.</p>"
            "<p>Laser removal is carried out by our sister clinic, <strong>Laser "
            'Reverse</strong>. You can find out more on our <a href="/laser-removal/">laser '
            "removal page</a>.</p>"
            "<blockquote>Regret does not have to be the end of the story. There are options, "
            "and an honest conversation is the first of them.</blockquote>"
            "<h2>Getting SMP done properly</h2>"
            "<p>If you are thinking about SMP for the first time, or starting again after "
            'laser, browse our <a href="/portfolio/">portfolio</a>. Alongside our own '
            "work it includes one clearly labelled example of poor SMP that is not ours, so "
            "you can see the difference for yourself.</p>"
            '<p>When you are ready, <a href="/book/">book a free consultation</a> with us. '
            "There is no pressure, just a chat about your hair and what is possible.</p>"
        ),
    },
    {
        "slug": "what-is-scalp-micropigmentation",
        "title": "What Is Scalp Micropigmentation, and Who Is It For?",
        "summary": (
            "A plain-English guide to scalp micropigmentation: what happens during treatment, "
            "who it tends to suit and when it may not be right."
        ),
        "topic": "scalp-micropigmentation",
        "tags": ["hairline", "density", "consultation"],
        "published": "2023-07-18",
        "status": "published",
        "days_from_now": None,
        "cta_type": "new_smp",
        "hero_alt": "Illustration of a head in profile with an even hairline drawn in small dots",
        "body": (
            "<p>Scalp micropigmentation, usually shortened to SMP, is a cosmetic treatment for "
            "hair loss. It does not grow hair. Instead, it uses thousands of tiny pigment "
            "dots to recreate the look of short hair follicles on the scalp, so a shaved or "
            "thinning head reads as fuller from a normal distance.</p>"
            "<h2>What actually happens</h2>"
            "<p>A trained practitioner uses a fine needle to place pigment into the upper "
            "layers of the skin. The dots vary slightly in size, depth and spacing, because "
            "real hair is never perfectly uniform. Most treatments are built up over two or "
            "three sessions, with a gap between each so the skin can settle and the "
            "practitioner can judge how the pigment has healed before adding more.</p>"
            "<p>The pigment is long-lasting but not fixed forever. Over the years it softens "
            "and lightens, which is why many people have an occasional top-up.</p>"
            "<h2>Who it tends to suit</h2>"
            "<ul>"
            "<li>Men with a receding hairline or a thinning crown who are happy to keep their "
            "hair clipped short.</li>"
            "<li>Men and women with thinning hair who want the scalp to show through less, "
            "even with longer hair.</li>"
            "<li>People with some forms of alopecia, once their hair loss has been looked at "
            "by a doctor.</li>"
            "<li>Anyone with scars on the scalp, for example from a hair transplant or an "
            "injury, who would like them to stand out less.</li>"
            "</ul>"
            "<h2>When it might not be right</h2>"
            "<p>SMP is not for everyone, and a good clinic will tell you so. It may not suit "
            "you if you want a full head of long hair, if your skin is currently inflamed or "
            "broken, or if your hair loss is changing quickly and has not yet been "
            "investigated. Certain skin conditions and medications also need to be discussed "
            "first. We would rather say no, or suggest waiting, than carry out treatment that "
            "does not serve you well.</p>"
            "<h2>Choosing a practitioner</h2>"
            "<p>The quality of SMP depends almost entirely on the person doing it. Before you "
            "commit, it is worth asking:</p>"
            "<ol>"
            "<li>What training and qualifications do you hold?</li>"
            "<li>Can I see healed results, not just fresh ones straight after treatment?</li>"
            "<li>How will you design my hairline, and will it suit me in ten years?</li>"
            "</ol>"
            '<p>Our <a href="/portfolio/">portfolio</a> shows our own clients, photographed '
            "with their permission, and our "
            '<a href="/scalp-micropigmentation/">SMP page</a> explains the treatment in more '
            "detail.</p>"
            "<h2>How it feels</h2>"
            "<p>Most people describe the sensation as a scratchy tingling. Some areas of the "
            "scalp are more sensitive than others, and it varies from person to person. "
            "Sessions usually last a few hours, with breaks whenever you need them.</p>"
            "<p>If you are wondering whether SMP could work for you, the easiest next step "
            'is a conversation. <a href="/book/">Book a free consultation</a> and we will '
            "talk it through honestly, with no obligation to go ahead.</p>"
        ),
    },
    {
        "slug": "designing-a-natural-hairline",
        "title": "Designing a Hairline That Suits Your Face and Your Age",
        "summary": (
            "Why a natural SMP hairline is drawn for your face shape and age, not copied from "
            "a template, and how we plan it with you."
        ),
        "topic": "scalp-micropigmentation",
        "tags": ["hairline", "consultation"],
        "published": "2025-03-06",
        "status": "published",
        "days_from_now": None,
        "cta_type": "new_smp",
        "hero_alt": (
            "Illustration of a head outline with a gently curved hairline marked in soft dots"
        ),
        "body": (
            "<p>The hairline is the first thing people notice, and the part of SMP that is "
            "hardest to get right. A hairline that is too straight, too low or too heavy can "
            "give the whole treatment away. One that is well designed simply looks like you "
            "with a short haircut.</p>"
            "<h2>Why templates do not work</h2>"
            "<p>Every face is different. The width of the forehead, the shape of the temples, "
            "the way the brow moves and even how you usually hold your head all affect where "
            "a hairline should sit. A shape that flatters one person can look harsh on "
            "another. That is why we never reach for a stock outline.</p>"
            "<h2>What we look at</h2>"
            "<ul>"
            "<li><strong>Your face shape and proportions.</strong> We look at the balance "
            "between forehead, mid-face and jaw.</li>"
            "<li><strong>Any remaining hair.</strong> Old hairline traces, or the edge of "
            "your existing hair, are often the best guide to a natural position.</li>"
            "<li><strong>Your age.</strong> Adult hairlines naturally sit a little higher "
            "and softer at the temples than a teenager's.</li>"
            "<li><strong>How you will look later on.</strong> A hairline should still suit "
            "you in ten or twenty years, not just next month.</li>"
            "</ul>"
            "<h2>Soft edges, not sharp lines</h2>"
            "<p>Real hairlines are not drawn with a ruler. They start with a few scattered, "
            "finer hairs and gradually become denser further back. We recreate that "
            "by placing lighter, more widely spaced dots at the very front and building "
            "density behind them. From a normal distance, the eye reads this as a soft, "
            "natural edge.</p>"
            "<blockquote>A good hairline should not draw attention to itself. If people "
            "notice your haircut rather than your hairline, it is doing its job.</blockquote>"
            "<h2>Planning it together</h2>"
            "<p>At your consultation we will sketch the proposed hairline directly on your "
            "head with a removable pencil, and you can look at it in the mirror from "
            "different angles. We adjust it until you are comfortable. Nothing is treated "
            "until you have agreed the shape.</p>"
            "<p>We will also be honest if the hairline you have in mind is likely to look "
            "unnatural. Many of the people who later ask about laser removal at our sister "
            "clinic, Laser Reverse, were given a hairline that was too low or too severe for "
            "their face. A slightly more conservative line is usually the wiser choice, and "
            "it can always be brought forward later if you want.</p>"
            "<h2>See it for yourself</h2>"
            '<p>Our <a href="/portfolio/">portfolio</a> includes hairlines for a range of '
            "ages and face shapes, so you can see how different each one is. You can read "
            'more about the treatment on our <a href="/scalp-micropigmentation/">SMP '
            "page</a>.</p>"
            "<p>Curious what a hairline designed for you might look like? "
            '<a href="/book/">Arrange a free consultation</a> and we will draw it on, talk it '
            "through and let you take your time deciding.</p>"
        ),
    },
    {
        "slug": "smp-for-density-with-longer-hair",
        "title": "SMP for Thinning Hair: Adding Density Without Shaving",
        "summary": (
            "You do not have to shave your head to benefit from SMP. Here is how it can "
            "reduce scalp show-through when you keep your hair longer."
        ),
        "topic": "scalp-micropigmentation",
        "tags": ["density", "alopecia"],
        "published": "2025-09-22",
        "status": "published",
        "days_from_now": None,
        "cta_type": "new_smp",
        "hero_alt": (
            "Illustration of a head with longer hair and fine dots shading the scalp beneath"
        ),
        "body": (
            "<p>Many people assume SMP is only for shaved heads. In fact, one of the most "
            "useful things it can do is make thinning hair look thicker, while you keep your "
            "hair at the length you like.</p>"
            "<h2>The problem it solves</h2>"
            "<p>When hair thins, the biggest giveaway is often not the hair itself but the "
            "contrast between dark hair and pale scalp showing through. Under bright lights "
            "or in photos, that contrast makes thinning look worse than it is. Density SMP "
            "reduces the contrast by adding fine pigment dots to the scalp beneath your "
            "hair, so there is less bare skin catching the light.</p>"
            "<h2>How it differs from a shaved look</h2>"
            "<ul>"
            "<li>The dots are placed only where the scalp shows, usually the crown, the "
            "parting or the top of the head.</li>"
            "<li>The shade is matched to your hair and skin, often slightly softer than "
            "for a shaved style.</li>"
            "<li>The aim is to blend in beneath the hair, not to recreate a visible "
            "stubble pattern.</li>"
            "</ul>"
            "<h2>Who it can help</h2>"
            "<p>Density treatment can suit men and women with diffuse thinning, people with "
            "some types of alopecia, and those who have had a hair transplant and want the "
            "result to look a little fuller. If your hair loss is sudden or patchy, we will "
            "usually suggest you speak to your GP or a specialist first, so that the cause "
            "is understood before we add anything cosmetic.</p>"
            "<h2>Practical points</h2>"
            "<ol>"
            "<li><strong>You may need a trim, not a shave.</strong> We sometimes ask you to "
            "keep hair a little shorter in the treated area for a few weeks so we can see "
            "the scalp clearly.</li>"
            "<li><strong>It builds in stages.</strong> Most people have two or three "
            "sessions, a few weeks apart, so the density can be judged as it heals.</li>"
            "<li><strong>Your hair still matters.</strong> SMP works alongside your own hair, "
            "so products, styling and any medical treatments you use still play a part.</li>"
            "</ol>"
            "<h2>Setting realistic expectations</h2>"
            "<p>Density SMP will not turn very thin hair into a thick mane. What it usually "
            "does is soften the see-through effect so your hair looks fuller day to day. "
            "Results vary with hair colour, skin tone and how much hair you have to work "
            "with, and we will explain what is realistic for you before you decide.</p>"
            "<p>If you later decide to shave your head, the same treatment can often be "
            "extended into a full shaved look. You can find out more on our "
            '<a href="/scalp-micropigmentation/">scalp micropigmentation page</a> and see '
            'examples in our <a href="/portfolio/">portfolio</a>.</p>'
            "<p>Wondering whether density SMP would make a difference for you? "
            '<a href="/book/">Book a free consultation</a>, and we will look at your scalp '
            "under good light and give you a straight answer.</p>"
        ),
    },
    {
        "slug": "smp-to-camouflage-scalp-scars",
        "title": "Using SMP to Make Scalp Scars Less Noticeable",
        "summary": (
            "Scars from hair transplants, surgery or injury can often be blended in with SMP. "
            "Here is what helps and what to expect."
        ),
        "topic": "scalp-micropigmentation",
        "tags": ["scars", "density"],
        "published": "2026-05-14",
        "status": "published",
        "days_from_now": None,
        "cta_type": "new_smp",
        "hero_alt": ("Illustration of the back of a head with a horizontal line softened by dots"),
        "body": (
            "<p>Scars on the scalp can be surprisingly hard to live with. They often show up "
            "most when you want a short haircut, and they can make people feel they have to "
            "keep their hair long to hide them. SMP is one way to make many scars far less "
            "obvious.</p>"
            "<h2>Which scars we see most often</h2>"
            "<ul>"
            "<li><strong>Strip scars</strong> across the back of the head from older hair "
            "transplant techniques.</li>"
            "<li><strong>Small round scars</strong> left by newer transplant methods, often "
            "scattered over the donor area.</li>"
            "<li><strong>Surgical scars</strong> from operations on the head.</li>"
            "<li><strong>Scars from accidents or injuries</strong>, which can be any shape "
            "or size.</li>"
            "</ul>"
            "<h2>How SMP helps</h2>"
            "<p>Scar tissue usually looks paler and smoother than the skin around it, and no "
            "hair grows from it. We place pigment dots into and around the scar to match the "
            "pattern of the surrounding hair follicles. The aim is to break up the clean, "
            "pale line that draws the eye, so the scar blends into the rest of the scalp.</p>"
            "<h2>What to expect</h2>"
            "<p>Scar tissue behaves differently from normal skin. It can take pigment "
            "unevenly, so scar work often needs an extra session compared with treating "
            "ordinary skin. We start gently, let it heal, then build on what we see. Most "
            "people notice a real difference, but how far a scar can be disguised depends on "
            "its texture, colour and age, and results vary.</p>"
            "<ol>"
            "<li><strong>The scar must be fully healed.</strong> Usually that means waiting "
            "at least a year after surgery or injury. We may ask for advice from your "
            "surgeon or GP.</li>"
            "<li><strong>Raised or very shiny scars</strong> can be harder to treat, and "
            "we will be honest if we think SMP will not help much.</li>"
            "<li><strong>Your surrounding hair counts.</strong> We match the dots to the "
            "hair length you usually wear, so it is worth telling us how you like to style "
            "it.</li>"
            "</ol>"
            "<h2>Combining with other treatment</h2>"
            "<p>Some people choose SMP for a scar and then carry on with other options, such "
            "as a further transplant. SMP can sit alongside these, and we are happy to talk "
            "to other professionals involved in your care if that helps.</p>"
            "<blockquote>Many clients tell us the biggest change is not how the scar looks "
            "but how much less they think about it.</blockquote>"
            "<p>You can see examples of scar work in our "
            '<a href="/portfolio/">portfolio</a>, and read more about the treatment on our '
            '<a href="/scalp-micropigmentation/">SMP page</a>.</p>'
            "<p>If a scar has been holding you back from the haircut you want, "
            '<a href="/book/">come and see us for a free consultation</a>. We will look at it '
            "closely and explain what we think is possible.</p>"
        ),
    },
    {
        "slug": "how-many-laser-sessions",
        "title": "How Many Laser Sessions Will I Need, and Why the Wait Between Them?",
        "summary": (
            "Why laser removal of SMP takes several sessions, why they are spaced weeks "
            "apart, and what affects how quickly pigment fades."
        ),
        "topic": "laser-removal",
        "tags": ["laser", "pigment"],
        "published": "2025-06-10",
        "status": "published",
        "days_from_now": None,
        "cta_type": "laser_smp",
        "hero_alt": (
            "Illustration of three head silhouettes with hairline dots growing lighter in turn"
        ),
        "body": (
            "<p>One of the first questions people ask our sister clinic, Laser Reverse, is "
            "how many sessions it will take to lighten their SMP. The honest answer is that "
            "it depends, but it helps to understand why.</p>"
            "<h2>Why one session is never enough</h2>"
            "<p>Each laser pulse breaks pigment into smaller pieces. Your body then clears "
            "those fragments gradually, through its own natural processes, over the weeks "
            "that follow. A single session can only break up so much pigment, and the body "
            "can only clear so much at a time. Trying to do it all at once would put too "
            "much strain on the skin, so the work is spread out.</p>"
            "<h2>Why the gaps matter</h2>"
            "<p>Sessions are usually spaced several weeks apart. That gap is not wasted "
            "time: it is when most of the fading actually happens. It also gives the skin "
            "time to recover fully before the next treatment, which lowers the chance of "
            "irritation and helps the practitioner judge progress accurately.</p>"
            "<h2>What affects the number of sessions</h2>"
            "<ul>"
            "<li><strong>How dense the SMP is.</strong> Heavily packed dots hold more "
            "pigment to break down.</li>"
            "<li><strong>How deep it was placed.</strong> SMP put in too deeply, which is "
            "common with poorer work, can take longer to shift.</li>"
            "<li><strong>The pigment itself.</strong> Some inks respond more readily to "
            "laser than others.</li>"
            "<li><strong>Your aim.</strong> Lightening an area enough to be redone needs "
            "fewer sessions than fading it as far as possible.</li>"
            "<li><strong>Your own body.</strong> Healing and clearance rates vary between "
            "people, and general health plays a part.</li>"
            "</ul>"
            "<h2>A rough idea</h2>"
            "<p>Many people see a clear difference within the first few sessions, and most "
            "need several in total. Your practitioner will give you an estimate after "
            "looking at your SMP, and will review it as you go. Results vary, so treat any "
            "number as a guide rather than a promise.</p>"
            "<h2>Between sessions</h2>"
            "<ol>"
            "<li>Keep the area clean and follow the aftercare advice you are given.</li>"
            "<li>Protect your scalp from the sun with a hat or a high-factor sunscreen.</li>"
            "<li>Do not pick at any scabs or dryness; let it settle on its own.</li>"
            "<li>Mention any unusual reaction to the clinic straight away.</li>"
            "</ol>"
            "<p>A little redness or tenderness after each session is common and usually "
            "settles within a day or two.</p>"
            '<p>You can read more about the process on our <a href="/laser-removal/">laser '
            "removal page</a>.</p>"
            "<p>If you would like a personal estimate, the first step is a conversation. "
            '<a href="/book/">Request a free consultation</a> and we will put you in touch '
            "with the Laser Reverse team.</p>"
        ),
    },
    {
        "slug": "laser-removal-of-ordinary-tattoos",
        "title": "Removing an Ordinary Tattoo at Laser Reverse",
        "summary": (
            "Our sister clinic Laser Reverse also fades body tattoos. How it works, what "
            "affects progress and how to take the first step."
        ),
        "topic": "laser-removal",
        "tags": ["laser", "consultation"],
        "published": "2026-02-03",
        "status": "published",
        "days_from_now": None,
        "cta_type": "laser_tattoo",
        "hero_alt": (
            "Illustration of a forearm outline with a simple dotted design fading at the edges"
        ),
        "body": (
            "<p>Most of what we write about here is scalp micropigmentation, but our sister "
            "clinic, Laser Reverse, does not only work on SMP. It also helps people who want "
            "to fade or lighten ordinary tattoos, whether that is an old name, a design that "
            "no longer feels like you or a piece you want to cover with something new.</p>"
            "<h2>How it works</h2>"
            "<p>The principle is the same as for SMP. Short, powerful pulses of laser light "
            "pass through the skin and are absorbed by the ink. The ink breaks into tiny "
            "particles, and over the following weeks your body gradually clears them away. "
            "With each session the tattoo becomes lighter.</p>"
            "<h2>What affects progress</h2>"
            "<ul>"
            "<li><strong>Colour.</strong> Black and dark blue usually respond well. Some "
            "brighter colours, such as certain greens and yellows, can be more stubborn.</li>"
            "<li><strong>Age of the tattoo.</strong> Older tattoos have often faded "
            "naturally and may need fewer sessions.</li>"
            "<li><strong>Amateur or professional.</strong> Amateur tattoos often hold less "
            "ink, while professional work can be denser.</li>"
            "<li><strong>Where it is.</strong> Areas with good circulation tend to clear "
            "faster than the hands, feet or ankles.</li>"
            "<li><strong>Your skin and health.</strong> Everyone heals at a different "
            "pace.</li>"
            "</ul>"
            "<h2>Full fade or cover-up?</h2>"
            "<p>Not everyone wants their tattoo gone entirely. Many people only want it "
            "lightened enough for a tattoo artist to cover it with a new design. That "
            "usually takes fewer sessions, and it is worth deciding on your goal early so "
            "your plan can be shaped around it.</p>"
            "<h2>What to expect on the day</h2>"
            "<ol>"
            "<li>A qualified practitioner checks your skin and the tattoo, and talks through "
            "your medical history.</li>"
            "<li>You wear eye protection while the laser is used.</li>"
            "<li>The treatment itself is often quick, sometimes only a few minutes for a "
            "small tattoo.</li>"
            "<li>The area is cooled and dressed, and you are given aftercare advice.</li>"
            "</ol>"
            "<p>Many people compare the feeling to a rubber band flicking against the skin. "
            "Redness, slight swelling or tenderness afterwards is common and usually short "
            "lived. Sessions are normally several weeks apart, giving the skin time to "
            "recover and the body time to clear the ink.</p>"
            "<blockquote>A tattoo you have outgrown is not a life sentence. Fading it is a "
            "gradual process, but a very achievable one for most people.</blockquote>"
            '<p>There is more detail on our <a href="/laser-removal/">laser removal '
            "page</a>.</p>"
            "<p>If a tattoo has been bothering you for a while, why not find out what can be "
            'done? <a href="/book/">Send us an enquiry for a free consultation</a> and we will '
            "pass it straight to Laser Reverse.</p>"
        ),
    },
    {
        "slug": "correcting-smp-lighten-then-redo",
        "title": "Fixing Poor SMP: Lighten First, Then Start Again",
        "summary": (
            "Correcting poor SMP often means fading it with laser before new work goes on. "
            "Here is why, and how the two stages fit together."
        ),
        "topic": "laser-removal",
        "tags": ["correction", "laser", "hairline"],
        "published": "2026-11-12",
        "status": "published",
        "days_from_now": None,
        "cta_type": "smp_correction",
        "hero_alt": (
            "Illustration of a head with a harsh dotted hairline beside a softer redrawn one"
        ),
        "body": (
            "<p>We regularly meet people who had SMP elsewhere and are not happy with it. "
            "Sometimes the hairline is too low or too straight. Sometimes the dots have "
            "spread and merged, or the colour has turned blue or green over time. A common "
            "question is whether we can simply work over the top. Occasionally we can, but "
            "often the better answer is to lighten the old work first.</p>"
            "<h2>Why not just go over it?</h2>"
            "<p>Adding fresh pigment on top of heavy or badly placed SMP tends to make the "
            "area darker and denser still. A hairline that is in the wrong place stays in "
            "the wrong place. Blurred dots remain blurred, with new dots crowded among them. "
            "The result can end up looking more artificial, not less.</p>"
            "<h2>Stage one: lightening with laser</h2>"
            "<p>Our sister clinic, Laser Reverse, uses laser to break down the existing "
            "pigment so that the body can clear it gradually. For correction work the goal "
            "is usually not to fade everything, but to lighten the old SMP enough that it "
            "no longer fights with new work. This typically takes several sessions, a number "
            "of weeks apart, and the number depends on how dense and deep the original "
            "pigment is.</p>"
            "<h2>Stage two: new SMP</h2>"
            "<p>Once the skin has fully healed from the last laser session, we can plan "
            "the new treatment. That means:</p>"
            "<ul>"
            "<li>designing a hairline that suits your face and age, drawn on and agreed "
            "with you first;</li>"
            "<li>choosing a shade matched to your skin and any remaining hair;</li>"
            "<li>building density gradually over a few sessions, with finer, better spaced "
            "dots.</li>"
            "</ul>"
            "<h2>When a touch-up might be enough</h2>"
            "<p>Not every disappointing result needs laser. If your SMP is simply patchy or "
            "a little faded, carefully adding pigment can sometimes even things out. If the "
            "hairline is slightly high rather than too low, it may be possible to adjust it "
            "without removing anything. We will tell you honestly which route we think "
            "makes sense.</p>"
            "<h2>What to expect overall</h2>"
            "<ol>"
            "<li>A consultation where we assess your SMP in good light.</li>"
            "<li>Laser sessions at Laser Reverse, if needed, spaced to let the skin "
            "recover.</li>"
            "<li>A healing break, then new SMP with us.</li>"
            "</ol>"
            "<p>The whole process takes patience, often several months, and results vary "
            "with the original work. Most people find the wait worthwhile when the new "
            "result finally looks like them. You can see corrected work in our "
            '<a href="/portfolio/">portfolio</a> and read about the laser stage on our '
            '<a href="/laser-removal/">laser removal page</a>.</p>'
            "<p>If your current SMP is not right, you do not have to live with it. "
            '<a href="/book/">Book a free correction consultation</a> and we will map out the '
            "options with you, step by step.</p>"
        ),
    },
    {
        "slug": "first-days-after-smp",
        "title": "The First Few Days After SMP: A Simple Aftercare Guide",
        "summary": (
            "What to do, and what to avoid, in the first days after a scalp micropigmentation "
            "session so your scalp heals well."
        ),
        "topic": "aftercare",
        "tags": ["aftercare"],
        "published": "2024-09-05",
        "status": "published",
        "days_from_now": None,
        "cta_type": "new_smp",
        "hero_alt": "Illustration of a freshly treated head with a crisp dotted hairline",
        "body": (
            "<p>Good aftercare makes a real difference to how your SMP heals. The first few "
            "days are when the skin is most delicate, and small habits now help the pigment "
            "settle evenly. Your practitioner will give you written instructions, which "
            "always come first; this is a general guide to what to expect.</p>"
            "<h2>Straight after your session</h2>"
            "<p>It is normal for your scalp to look a little red and for the dots to seem "
            "darker and sharper than they will once healed. Some people have slight "
            "swelling, especially around the forehead. This usually settles within a day or "
            "two.</p>"
            "<h2>The first four days</h2>"
            "<ul>"
            "<li><strong>Keep it dry.</strong> Avoid washing or wetting your scalp. Shower "
            "with your head out of the water if you can.</li>"
            "<li><strong>Skip the workout.</strong> Heavy sweating can affect how the "
            "pigment settles, so rest from the gym.</li>"
            "<li><strong>Stay out of the sun.</strong> Wear a loose, clean hat if you need "
            "to be outside for long.</li>"
            "<li><strong>Hands off.</strong> Try not to touch, rub or scratch the treated "
            "area.</li>"
            "<li><strong>No products.</strong> Leave out creams, lotions and styling "
            "products unless your practitioner has recommended them.</li>"
            "</ul>"
            "<h2>Sleeping</h2>"
            "<p>Use a clean pillowcase, and consider laying a fresh towel over it for the "
            "first few nights. Some people find sleeping slightly propped up helps with any "
            "swelling.</p>"
            "<h2>Days five to ten</h2>"
            "<p>You can usually start washing your scalp gently, with lukewarm water and "
            "no scrubbing. Pat it dry rather than rubbing. You may notice tiny flakes as the "
            "skin renews itself; let them come away on their own. Most people can go back to "
            "shaving after about a week, but check with your practitioner first.</p>"
            "<h2>When to get in touch</h2>"
            "<p>Mild redness and slight tenderness are part of normal healing. Contact us if "
            "you notice anything that seems to be getting worse rather than better, such as "
            "increasing pain, heat or swelling, or any discharge. If in doubt, ask.</p>"
            "<h2>A word on the colour</h2>"
            "<p>As the scalp heals, the dots soften and lighten. That is expected and is one "
            "reason SMP is built up over more than one session. By your next appointment we "
            "will be able to see how the pigment has settled and adjust from there.</p>"
            "<blockquote>Think of the first week as protecting an investment. A little "
            "patience now helps the result look its best for longer.</blockquote>"
            "<p>You will find more about the treatment on our "
            '<a href="/scalp-micropigmentation/">scalp micropigmentation page</a>.</p>'
            "<p>Still deciding whether SMP is for you? "
            '<a href="/book/">Arrange a free, no-pressure consultation</a> and we will walk '
            "you through the treatment and the aftercare before you commit to anything.</p>"
        ),
    },
    {
        "slug": "looking-after-smp-long-term",
        "title": "Looking After Your SMP in the Long Term",
        "summary": (
            "Sun protection, moisturising and the occasional top-up: simple habits that help "
            "your SMP keep looking natural for years."
        ),
        "topic": "aftercare",
        "tags": ["aftercare", "correction"],
        "published": "2025-12-01",
        "status": "published",
        "days_from_now": None,
        "cta_type": "smp_correction",
        "hero_alt": "Illustration of a head under a stylised sun with a softened dotted hairline",
        "body": (
            "<p>Once your SMP has healed, it needs very little day-to-day attention. Even "
            "so, a few simple habits can help it stay crisp and natural-looking for as long "
            "as possible.</p>"
            "<h2>Sun is the biggest factor</h2>"
            "<p>Ultraviolet light is the main reason SMP pigment fades faster than it should. "
            "A shaved scalp gets a lot of sun, particularly on top, and the skin there is "
            "easy to forget about.</p>"
            "<ul>"
            "<li>Use a high-factor sunscreen on your scalp whenever you are outside for a "
            "while, even on cloudy days.</li>"
            "<li>Wear a hat on holiday, at the beach or during long days outdoors.</li>"
            "<li>Avoid sunbeds altogether.</li>"
            "</ul>"
            "<h2>Keep the skin healthy</h2>"
            "<p>Healthy, hydrated skin shows pigment more evenly. A light, fragrance-free "
            "moisturiser helps, particularly if your scalp tends to be dry or you shave "
            "every day. Dry, flaky skin can make the dots look dull or patchy.</p>"
            "<h2>Shaving and washing</h2>"
            "<ol>"
            "<li>Use a clean, sharp razor or a good foil shaver to avoid nicks and "
            "irritation.</li>"
            "<li>Choose a gentle shampoo or wash. Harsh exfoliating scrubs and strong "
            "acids can speed up fading.</li>"
            "<li>Keep your shaving length consistent, as the SMP was designed for a "
            "particular look.</li>"
            "</ol>"
            "<h2>Swimming and exercise</h2>"
            "<p>After the initial healing period, you can swim and exercise as normal. "
            "Chlorine and sweat will not harm healed SMP, though rinsing your scalp "
            "afterwards is a sensible habit.</p>"
            "<h2>Touch-ups</h2>"
            "<p>SMP pigment is long-lasting, but it does lighten gradually over the years. "
            "How quickly depends on your skin, your lifestyle and how much sun you get. "
            "Many people come back for a top-up every few years to refresh the colour and "
            "sharpen the hairline. A touch-up is usually a single, shorter session.</p>"
            "<p>A touch-up is also a good moment to reassess. As you get older, a slightly "
            "softer or higher hairline can look more natural, and we can adjust the "
            "design with you.</p>"
            "<h2>Signs it may be time</h2>"
            "<ul>"
            "<li>The hairline looks less defined than it did.</li>"
            "<li>Some areas have faded more than others.</li>"
            "<li>Your own remaining hair has changed colour or thinned further.</li>"
            "</ul>"
            "<p>If you had SMP elsewhere and it has faded to an odd colour or spread, that "
            "may need a different approach; our article on correcting SMP in the "
            '<a href="/articles/">articles section</a> explains the options.</p>'
            "<p>Think your SMP could do with some attention? "
            '<a href="/book/">Get in touch to book a free consultation</a> and we will take '
            "a look and tell you honestly whether a touch-up is worth doing yet.</p>"
        ),
    },
    {
        "slug": "our-before-and-after-photos",
        "title": "Why Our Before-and-After Photos Are Never Retouched",
        "summary": (
            "Every photo in our portfolio is shared with written consent and left unedited. "
            "Here is why we work that way, and how we take them."
        ),
        "topic": "clinic-news",
        "tags": ["clinic"],
        "published": "2024-01-22",
        "status": "published",
        "days_from_now": None,
        "cta_type": "",
        "hero_alt": (
            "Illustration of two matching head silhouettes side by side, one with dotted hair"
        ),
        "body": (
            "<p>Photos are one of the most useful tools anyone has when choosing an SMP "
            "practitioner. They are also one of the easiest things to manipulate. So we want "
            "to be clear about how the images in our portfolio are taken and shared.</p>"
            "<h2>Written consent, every time</h2>"
            "<p>We only publish a client's photos if they have agreed in writing. Consent is "
            "a separate, optional form; it is never a condition of treatment, and saying no "
            "makes no difference to the care you receive. Clients can also ask us to take "
            "their photos down at any point, and we will.</p>"
            "<p>Where someone prefers not to be recognised, we crop or angle the photo so "
            "that only the scalp is shown.</p>"
            "<h2>No retouching</h2>"
            "<p>We do not edit our before-and-after photos. That means:</p>"
            "<ul>"
            "<li>no smoothing, sharpening or painting in of dots;</li>"
            "<li>no adjusting colour on one image and not the other;</li>"
            "<li>no swapping in a different background or hiding redness.</li>"
            "</ul>"
            "<p>The most we do is crop for privacy and resize for the website.</p>"
            "<h2>Taken the same way each time</h2>"
            "<p>Lighting and angles can flatter a result or hide a problem. We photograph "
            "before and after shots in the same room, under the same lights, from the same "
            "angles, so the comparison is fair. Wherever possible we show healed results, "
            "not just fresh work, because healed SMP is what you will live with.</p>"
            "<h2>Including work that is not ours</h2>"
            "<p>Our portfolio also contains a clearly labelled example of poor SMP carried "
            "out elsewhere. We include it so you can see what can go wrong, such as harsh "
            "hairlines and merged dots, and why choosing a practitioner carefully matters. "
            "It is always marked as not our work.</p>"
            "<h2>What we would encourage you to do</h2>"
            "<ol>"
            "<li>Look at several examples, not just the most striking one.</li>"
            "<li>Ask any clinic whether its photos are edited and whether they show healed "
            "results.</li>"
            "<li>Ask to see examples similar to your own hair loss, skin tone and age.</li>"
            "</ol>"
            "<blockquote>If a result only looks good in a carefully filtered photo, it is "
            "not a result worth choosing.</blockquote>"
            '<p>You can browse our <a href="/portfolio/">portfolio</a> any time, and read '
            'more about the clinic and our approach on the <a href="/about/">about '
            "page</a>.</p>"
            "<p>We are always happy to show more examples in person. "
            '<a href="/book/">Book a free consultation</a> and ask us anything about the '
            "photos or the work behind them.</p>"
        ),
    },
    {
        "slug": "smp-and-alopecia",
        "title": "SMP and Alopecia: What We Would Like You to Know",
        "summary": (
            "Alopecia affects people in very different ways. How SMP can help, when to wait, "
            "and why a medical opinion comes first."
        ),
        "topic": "scalp-micropigmentation",
        "tags": ["alopecia", "density", "consultation"],
        "published": "2026-10-08",
        "status": "draft",
        "days_from_now": None,
        "cta_type": "new_smp",
        "hero_alt": (
            "Illustration of a head with scattered patches filled in by evenly spaced dots"
        ),
        "body": (
            "<p>Alopecia is a broad word that covers many different kinds of hair loss. "
            "Some are gradual and predictable, others are sudden and patchy, and some come "
            "and go. Because of that, SMP can be a very good fit for some people with "
            "alopecia and less suitable for others. This article explains how we approach "
            "it.</p>"
            "<h2>A medical opinion comes first</h2>"
            "<p>If you are losing hair unexpectedly, or in patches, we will always suggest "
            "seeing your GP or a dermatologist before thinking about SMP. Understanding the "
            "cause matters. Some types of hair loss can be treated, and some scalp "
            "conditions need to be settled before any cosmetic work is done.</p>"
            "<h2>Where SMP can help</h2>"
            "<ul>"
            "<li><strong>Widespread or total hair loss.</strong> If you have lost most or "
            "all of your scalp hair and it is stable, SMP can recreate the look of a freshly "
            "clipped head.</li>"
            "<li><strong>Diffuse thinning.</strong> Density SMP can reduce how much scalp "
            "shows through the hair you still have.</li>"
            "<li><strong>Stable patches.</strong> Areas that have not changed for a long "
            "time can sometimes be blended in.</li>"
            "</ul>"
            "<h2>When it may be better to wait</h2>"
            "<p>With patchy alopecia that is still active, hair may regrow in one place and "
            "fall out in another. Pigment placed now might not match your scalp in a year. "
            "In those cases we may suggest waiting until things have been stable for a "
            "while, or starting with a small, conservative area.</p>"
            "<h2>Things we will talk through</h2>"
            "<ol>"
            "<li>How long your hair loss has been stable.</li>"
            "<li>Any treatments you are using, such as creams or injections.</li>"
            "<li>The condition of your scalp skin.</li>"
            "<li>Whether you plan to keep your hair shaved, short or longer.</li>"
            "</ol>"
            "<h2>The emotional side</h2>"
            "<p>Alopecia can have a big effect on confidence, and it often affects people "
            "who never expected to lose their hair. We try to make consultations relaxed and "
            "unhurried. You are welcome to bring someone with you, and you never need to "
            "decide on the day.</p>"
            "<p>Most people with stable alopecia who choose SMP are pleased with how it "
            "looks, but results vary with skin type and the pattern of hair loss, and we "
            "will be honest about what we expect in your case. You can read more on our "
            '<a href="/scalp-micropigmentation/">SMP page</a>.</p>'
            "<p>If you are living with alopecia and want to understand your options, "
            '<a href="/book/">book a free consultation</a>. We will listen first and only '
            "suggest treatment if we think it will genuinely help.</p>"
        ),
    },
    {
        "slug": "what-to-ask-at-your-free-smp-consultation",
        "title": "What to Ask at Your Free SMP Consultation",
        "summary": (
            "A short list of questions worth asking at any SMP consultation, from training "
            "and healed results to aftercare and costs."
        ),
        "topic": "scalp-micropigmentation",
        "tags": ["consultation", "hairline"],
        "published": None,
        "status": "published",
        "days_from_now": 21,
        "cta_type": "new_smp",
        "hero_alt": (
            "Illustration of a head silhouette beside a speech bubble filled with small dots"
        ),
        "body": (
            "<p>A consultation is your chance to find out whether a clinic is right for "
            "you, not just whether you are right for SMP. It is easy to feel rushed or shy "
            "about asking questions, so here is a list you can take along. Any good "
            "practitioner will be glad you asked.</p>"
            "<h2>About the practitioner</h2>"
            "<ul>"
            "<li>What training and qualifications do you have in SMP?</li>"
            "<li>How long have you been doing this work, and how many clients have you "
            "treated?</li>"
            "<li>Will the person I am talking to be the one who treats me?</li>"
            "</ul>"
            "<h2>About their work</h2>"
            "<ul>"
            "<li>Can I see healed results, not only photos taken straight after "
            "treatment?</li>"
            "<li>Do you have examples of clients with hair loss, skin tone and age like "
            "mine?</li>"
            "<li>Are your photos edited in any way?</li>"
            "</ul>"
            "<h2>About your treatment</h2>"
            "<ol>"
            "<li>Where would you place my hairline, and why?</li>"
            "<li>Can you draw it on so I can see it in the mirror?</li>"
            "<li>How many sessions do you expect, and how far apart?</li>"
            "<li>How will you choose the shade of pigment?</li>"
            "<li>Is there any reason SMP might not suit me?</li>"
            "</ol>"
            "<h2>About afterwards</h2>"
            "<ul>"
            "<li>What aftercare will I need, and what should I avoid?</li>"
            "<li>How long does the pigment usually last, and what do top-ups involve?</li>"
            "<li>Who do I contact if I am worried during healing?</li>"
            "</ul>"
            "<h2>About cost</h2>"
            "<p>Ask for a clear price that includes all planned sessions, and whether "
            "top-ups are charged separately. Be cautious about prices that seem far lower "
            "than elsewhere. Many of the people who later ask our sister clinic, Laser "
            "Reverse, about removing SMP originally chose a practitioner on price alone.</p>"
            "<h2>Signs of a good consultation</h2>"
            "<p>You should leave feeling that you were listened to, that your questions were "
            "answered plainly, and that nobody pushed you to book on the spot. A practitioner "
            "who is willing to say SMP may not suit you, or that you should wait, is usually "
            "one you can trust.</p>"
            "<blockquote>There is no such thing as a silly question when it comes to "
            "something that will be on your head every day.</blockquote>"
            '<p>Before you come in, you might like to browse our <a href="/portfolio/">'
            'portfolio</a> and read about <a href="/about/">who we are</a>.</p>'
            "<p>Bring your list, and bring someone along if you like. "
            '<a href="/book/">Book your free consultation</a> and we will set aside the time '
            "to answer every question properly.</p>"
        ),
    },
]
