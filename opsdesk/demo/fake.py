"""Made-up people, places and products for demo data: never real personal data (PIPL)."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Order status groups the generators use (normalised codes, as in opsdesk.orders.models.OrderStatus).
OPEN = ("awaiting_shipment", "allocating")
GONE = ("shipped", "delivered")

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
TITLES = ("女士", "先生")
# (province, city, district): real place names, made-up streets (示例路).
PLACES = (
    ("江苏省", "南京市", "江宁区"), ("山东省", "青岛市", "李沧区"), ("浙江省", "杭州市", "西湖区"),
    ("广东省", "广州市", "天河区"), ("上海市", "上海市", "浦东新区"), ("北京市", "北京市", "朝阳区"),
    ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"), ("河南省", "郑州市", "金水区"),
    ("福建省", "厦门市", "思明区"),
)
BUYER_MESSAGES = (
    "请尽快发货, 谢谢", "麻烦发中通", "不要放清单", "请核对规格再发", "周末不在家, 请工作日送达", "需要开发票",
    "老人用药, 麻烦写清楚用法", "药品请用防压盒包装",
)
SELLER_NOTES = ("客户要求加急", "已电话确认地址", "换货补寄", "核实处方后再发", "送赠品一盒")
# Made-up manufacturers, so that a few hundred products don't all look alike.
MAKERS = ("华东示例药业", "金陵示例制药", "江南示例药厂", "北方示例药业", "西部示例制药", "岭南示例药业", "示例中药饮片厂",
          "海滨示例药业")
ABNORMAL_REASONS = ("地址异常", "商品未匹配", "库存不足", "买家申请退款", "金额异常")

# (name, specs, price, rx, tcm)
PRODUCT_BASES = (
    ("阿莫西林胶囊", ("0.25g*24粒", "0.5g*20粒"), "18.50", True, False),
    ("头孢克肟分散片", ("0.1g*6片", "0.1g*12片"), "32.00", True, False),
    ("硝苯地平缓释片", ("10mg*30片", "20mg*30片"), "26.80", True, False),
    ("二甲双胍缓释片", ("0.5g*30片", "0.5g*60片"), "22.40", True, False),
    ("阿托伐他汀钙片", ("10mg*7片", "20mg*7片"), "45.00", True, False),
    ("布洛芬缓释胶囊", ("0.3g*20粒", "0.3g*24粒"), "15.90", False, False),
    ("维生素C片", ("100mg*100片", "0.1g*60片"), "9.90", False, False),
    ("板蓝根颗粒", ("10g*20袋", "5g*20袋"), "19.80", False, False),
    ("复方甘草片", ("100片", "50片"), "12.00", False, False),
    ("蒙脱石散", ("3g*10袋", "3g*15袋"), "16.50", False, False),
    ("氯雷他定片", ("10mg*6片", "10mg*12片"), "21.00", False, False),
    ("健胃消食片", ("0.8g*32片", "0.5g*36片"), "13.50", False, False),
    ("医用口罩", ("10只", "50只"), "8.00", False, False),
    ("创可贴", ("100片", "20片"), "6.50", False, False),
    ("黄芪", ("10g", "500g"), "38.00", False, True),
    ("枸杞子", ("10g", "250g"), "29.00", False, True),
    ("当归", ("10g", "500g"), "56.00", False, True),
    ("党参", ("10g", "250g"), "48.00", False, True),
    ("川贝母", ("3g", "10g"), "88.00", False, True),
    ("金银花", ("10g", "100g"), "24.00", False, True),
)


@dataclass(frozen=True)
class FakeProduct:
    sku: str
    name: str
    spec: str
    price: str
    cents: int
    rx: bool
    tcm: bool
    stock: int


def products_make(*, count: int, seed: int = 1) -> list[FakeProduct]:
    """`count` products cycling through the bases: some Rx, some TCM, some at 0 stock."""
    rng = random.Random(seed)
    products = []
    for index in range(count):
        name, specs, price, rx, tcm = PRODUCT_BASES[index % len(PRODUCT_BASES)]
        variant = index // len(PRODUCT_BASES)
        spec = specs[variant % len(specs)]
        label = f"{name}({MAKERS[variant // len(specs) % len(MAKERS)]})"
        stock = 0 if index % 23 == 5 else rng.randint(20, 500)
        products.append(FakeProduct(f"SYT{index + 1:05d}", label, spec, price, round(float(price) * 100), rx, tcm,
                                    stock))
    return products


def person_make(rng: random.Random) -> dict[str, str]:
    province, city, district = rng.choice(PLACES)
    return {
        "receiver_name": rng.choice(SURNAMES) + rng.choice(TITLES),
        "receiver_phone": f"139000{rng.randint(0, 99999):05d}",
        "province": province,
        "city": city,
        "district": district,
        "address": f"示例路{rng.randint(1, 999)}号{rng.randint(1, 9)}单元{rng.randint(101, 2602)}",
    }
