"""A weight soup of the self-trained encoder's teacher and student (round 18).

Teacher and student are both fine-tuned from the same MiniLM weights with the same seed, so
their weights can be averaged into one network of the same size and speed. This writes the
average, ``share`` of the teacher and ``1 - share`` of the student, under the names that
``spinlens train techniques-encoder --checkpoint`` reuses, so the command skips fine-tuning and
only exports, quantises and tunes the soup on the validation sixth:

    python experiments/technique_teacher_student_soup.py TEACHER.pt STUDENT.pt 0.5 OUT/encoder6.pt
    spinlens train techniques-encoder --data ../shared/data/semeval2023-task3/en --out OUT/model \\
        --checkpoint OUT/encoder6.pt --unlabelled ../shared/data/semeval2025-task10/EN/raw-documents

(OUT/encoder6.pt becomes a link to the teacher; the soup is OUT/encoder6-selftrained.pt.)
"""

import sys
from pathlib import Path

import torch

teacher_file, student_file, share, out = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
teacher, student = torch.load(teacher_file), torch.load(student_file)
out.parent.mkdir(parents=True, exist_ok=True)
if not out.exists():
    out.symlink_to(teacher_file.resolve())
soup = {k: (share * teacher[k].float() + (1 - share) * student[k].float()).to(student[k].dtype) for k in student}
torch.save(soup, out.with_name(f"{out.stem}-selftrained.pt"))
