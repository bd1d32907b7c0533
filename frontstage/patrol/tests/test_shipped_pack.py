from django.test import SimpleTestCase

from frontstage.patrol.engine import Category, Mode, shipped_pack
from frontstage.patrol.tests.helpers import categories

C = Category

# (post, language, the category it must be flagged with), in the words and disguises used.
FLAGGED = [
    ("刷单返利，日结300，加vx: abc123", "zh", C.SCAM_FRAUD),
    ("手機兼職，點讚返利，佣金日結，私聊", "zh-Hant", C.SCAM_FRAUD),
    ("导师带单，稳赚不赔！", "zh", C.SCAM_FRAUD),
    ("Simple online tasks, earn daily, just pay deposit to unlock. DM me", "en", C.SCAM_FRAUD),
    ("Task job: rate products, commission per task, WhatsApp +44 7700 900123", "en", C.SCAM_FRAUD),
    ("Work from home! Small registration fee, pay upfront, start today", "en", C.SCAM_FRAUD),
    ("Guaranteed returns of 30% monthly. Risk-free investment!", "en", C.SCAM_FRAUD),
    (
        "BTC giveaway: send 0.1 and receive double to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "en",
        C.SCAM_FRAUD,
    ),
    ("出冰 同城配送 飞机 @dealer_bob", "zh", C.ILLEGAL_DRUGS),
    ("叶子 溜冰 现货 包邮 加薇信 leaf_shop8", "zh", C.ILLEGAL_DRUGS),
    ("冰毒 出货 一克价格私聊", "zh", C.ILLEGAL_DRUGS),
    ("Pills no prescription: xanax, oxy. Stealth shipping worldwide", "en", C.ILLEGAL_DRUGS),
    ("Selling c0caine and m3th, discreet delivery, hmu", "en", C.ILLEGAL_DRUGS),
    ("仿真枪 气枪 枪模 出售 加威信 gun_seller1", "zh", C.ILLEGAL_WEAPONS),
    ("钢珠枪，可发射，货到付款", "zh", C.ILLEGAL_WEAPONS),
    ("Ghost gun 80% parts kit in stock", "en", C.ILLEGAL_WEAPONS),
    ("Glock 19, AR-15, ammo. No background check, cash only", "en", C.ILLEGAL_WEAPONS),
    ("菠菜平台，首充送彩金，注册 luckybet88.com", "zh", C.ILLEGAL_GAMBLING),
    ("真人荷官 百家乐 提款秒到 飞机 @casino_vip", "zh", C.ILLEGAL_GAMBLING),
    ("Crypto casino bonus, no license, no KYC!", "en", C.ILLEGAL_GAMBLING),
    ("Fixed matches this weekend, 100% sure odds", "en", C.ILLEGAL_GAMBLING),
    ("Escort incall/outcall available tonight", "en", C.SEXUAL_SERVICES),
    ("楼凤 外围女 上门 加vx: girl8888", "zh", C.SEXUAL_SERVICES),
    ("Leaked nudes of my ex for sale", "en", C.SEXUAL_SERVICES),
    ("I will kill you", "en", C.THREATS),
    ("i'm going to b 0 m b the sch00l tomorrow", "en", C.THREATS),
    ("Someone should bomb the school on Monday", "en", C.THREATS),
    ("我知道你住哪，弄死你", "zh", C.THREATS),
    ("明天炸学校", "zh", C.THREATS),
    ("gg ez. got your real address now, i'll kill you when i see you irl", "en", C.THREATS),
    ("排位那个坑货，你在哪个小区我查到了，下一把打完我就弄死你", "zh", C.THREATS),
    ("Tramadol 100mg, no prescription required, overnight shipping", "en", C.ILLEGAL_DRUGS),
    ("新到学生妹，一条龙服务，空降可约，加薇 lf520", "zh", C.SEXUAL_SERVICES),
    ("Thai massage with happy endings, incall only, text 0700 900 123", "en", C.SEXUAL_SERVICES),
]

# Hard negatives: the same words, used lawfully or to warn.
NOT_FLAGGED = [
    ("警惕刷单返利诈骗！凡是刷单都是诈骗，国家反诈中心提醒", "zh"),
    ("Beware of task job scams: never pay a deposit to get paid", "en"),
    ("There is no such thing as guaranteed returns. Scam alert!", "en"),
    ("警方查获冰毒2公斤，抓获犯罪嫌疑人3名", "zh"),
    ("Police seized 2kg of cocaine and arrested three men", "en"),
    ("Licensed pharmacy: tramadol available with a valid prescription, delivery nationwide", "en"),
    ("冰箱 冰淇淋 同城配送 加vx: shop888", "zh"),
    ("Shooting club range day: rifles and pistols available to members, safety course first", "en"),
    ("射击俱乐部周末开放，持证会员可预约", "zh"),
    ("双色球开奖结果：01 05 12 18 22 30", "zh"),
    ("Lottery results: winning numbers for Saturday's draw", "en"),
    ("Sports massage clinic, licensed massage therapist, insurance receipts", "en"),
    ("中医推拿理疗，颈椎调理，医保定点", "zh"),
    ("Police said the man threatened to bomb the school", "en"),
    ("凉拌菠菜的做法", "zh"),
    ("My phone blew up with messages at school today", "en"),
    ("Ice cream and diet coke at the ice rink", "en"),
    ("Ranked match last night: told my duo I'll kill you if you throw again. We won", "en"),
    ("下一把我弄死你😂 开黑继续", "zh"),
    ("Adderall shortage again: my pharmacy has none in stock", "en"),
    ("被杀猪盘骗了五万，报警了，钱追不回来了。稳赚不赔都是假的", "zh"),
    ("基金定投要长期坚持，没有稳赚不赔的投资", "zh"),
    ("Favourite film quote: 'I'll kill you, Mr Bond' from the movie never gets old", "en"),
    ("Finish my leftovers again and I'll kill you 😤 jk", "en"),
    ("王者今晚团灭三次，下一局我一个人砍死你们", "zh"),
    ("Watched a documentary about call girls in 1920s Paris, fascinating episode", "en"),
    ("Does anyone actually like happy endings in horror movies?", "en"),
    ("My uncle got pulled into a 'trading mentor' group on WhatsApp and lost his savings", "en"),
    ("结婚一条龙服务求推荐！婚庆、主持、跟拍都包的那种", "zh"),
    ("自家茶园的明前春茶，叶子嫩芽头足，老客户加微信 tea_hou2023 预订", "zh"),
    (
        "Unpaid toll notice: pay your toll balance at https://tolls-pay.top/pay now to avoid "
        "fees. These texts are fake, your toll agency won't text you",
        "en",
    ),
]


class ShippedPack(SimpleTestCase):
    def test_it_flags_each_category_in_english_and_chinese_with_slang_and_disguises(self):
        for text, lang, category in FLAGGED:
            with self.subTest(text=text):
                self.assertIn(category, categories(text, lang))

    def test_it_leaves_warnings_news_and_lawful_trades_unflagged(self):
        for text, lang in NOT_FLAGGED:
            with self.subTest(text=text):
                self.assertEqual(categories(text, lang), [])

    def test_a_betting_pitch_that_promises_sure_wins_counts_under_gambling_only(self):
        for text, lang in [
            ("百家乐内部计划群，跟单稳赚不赔，日收益5%，加微信 bjl888", "zh"),
            ("Crypto casino, no KYC: guaranteed returns of 5% daily on your deposit. DM me", "en"),
        ]:
            with self.subTest(text=text):
                self.assertEqual(categories(text, lang), [C.ILLEGAL_GAMBLING])

    def test_it_flags_without_a_language_tag(self):
        self.assertEqual(categories("刷单返利 加vx: abc123"), [Category.SCAM_FRAUD])

    def test_it_covers_every_category_the_patrol_may_flag_with_a_live_rule(self):
        live = {r.category for r in shipped_pack().rules if r.mode is Mode.LIVE}
        self.assertEqual(live, set(Category))

    def test_it_flags_known_abuse_images_by_hash_only(self):
        rules = [r for r in shipped_pack().rules if r.category is Category.CHILD_SEXUAL_ABUSE]
        self.assertEqual([r.id for r in rules], ["csam.known-image"])
