"""Load the programme's ten lessons and their units.

Estimates total 166 h: about six and a half weeks at 3.5 h on weekdays and
5 h at weekends, leaving a beginner slack before the cut-off of an
eight-week course. The challenge project is the largest piece, as it was for
the 2018-19 cohort. Staff change estimates in the admin afterwards; this
migration is history and is not edited.
"""

from decimal import Decimal

from django.db import migrations


LESSONS = [
    {
        "number": 1,
        "slug": "welcome",
        "title": "Welcome to the Scholarship Challenge",
        "instructors": "Course instructors",
        "hours": "2.0",
        "is_final_project": False,
        "summary": "How the challenge works, the community, the deadline and what it takes to reach phase two.",
        "units": [('Welcome', 20), ('How the challenge works', 40), ('Community and study groups', 30), ('Your study plan', 30)],
    },
    {
        "number": 2,
        "slug": "introduction-to-neural-networks",
        "title": "Introduction to Neural Networks",
        "instructors": "Luis Serrano",
        "hours": "22.0",
        "is_final_project": False,
        "summary": "Perceptrons, error functions, gradient descent and backpropagation, ending with a network built from scratch in NumPy.",
        "units": [('Classification problems and perceptrons', 180), ('Error functions and the sigmoid', 180), ('Gradient descent', 240), ('Multilayer perceptrons and backpropagation', 300), ('Training neural networks', 240), ('Lab: student admissions with NumPy', 180)],
    },
    {
        "number": 3,
        "slug": "talking-pytorch-with-soumith-chintala",
        "title": "Talking PyTorch with Soumith Chintala",
        "instructors": "Cezanne Camacho and Soumith Chintala",
        "hours": "2.0",
        "is_final_project": False,
        "summary": "An interview with PyTorch's creator on its origins, design and future.",
        "units": [('Origins of PyTorch', 40), ('Debugging and designing in PyTorch', 40), ('From research to production', 40)],
    },
    {
        "number": 4,
        "slug": "introduction-to-pytorch",
        "title": "Introduction to PyTorch",
        "instructors": "Mat Leonard",
        "hours": "20.0",
        "is_final_project": False,
        "summary": "Tensors, autograd, building and training networks, validation, saving models and transfer learning.",
        "units": [('Tensors in PyTorch', 150), ('Defining networks', 180), ('Training networks with autograd', 240), ('Classifying Fashion-MNIST', 240), ('Inference and validation', 180), ('Saving and loading models', 90), ('Transfer learning', 120)],
    },
    {
        "number": 5,
        "slug": "convolutional-neural-networks",
        "title": "Convolutional Neural Networks",
        "instructors": "Cezanne Camacho, Alexis Cook",
        "hours": "28.0",
        "is_final_project": False,
        "summary": "Filters, convolutional and pooling layers, image augmentation and a CIFAR-10 classifier.",
        "units": [('Applications of CNNs', 120), ('MLPs for MNIST', 240), ('Filters and convolutional layers', 300), ('Pooling, strides and padding', 240), ('CNNs in PyTorch: CIFAR-10', 420), ('Image augmentation', 180), ('Transfer learning with VGG', 180)],
    },
    {
        "number": 6,
        "slug": "style-transfer",
        "title": "Style Transfer",
        "instructors": "Cezanne Camacho",
        "hours": "10.0",
        "is_final_project": False,
        "summary": "Separating content from style with a pre-trained VGG19 and the Gram matrix.",
        "units": [('Style transfer and feature extraction', 120), ('VGG19 and content loss', 150), ('Gram matrix and style loss', 150), ('Style transfer in PyTorch', 180)],
    },
    {
        "number": 7,
        "slug": "recurrent-neural-networks",
        "title": "Recurrent Neural Networks",
        "instructors": "Luis Serrano",
        "hours": "20.0",
        "is_final_project": False,
        "summary": "RNNs and LSTMs: how they remember, how to build them in PyTorch, and a character-level text generator.",
        "units": [('Introduction to RNNs and LSTMs', 240), ('RNN and LSTM architectures', 240), ('Implementing RNNs in PyTorch', 240), ('Character-level LSTM', 300), ('Hyperparameters', 180)],
    },
    {
        "number": 8,
        "slug": "sentiment-prediction-with-rnns",
        "title": "Sentiment Prediction with RNNs",
        "instructors": "Cezanne Camacho",
        "hours": "12.0",
        "is_final_project": False,
        "summary": "Tokenising reviews, embedding layers and an LSTM that predicts sentiment.",
        "units": [('Sentiment analysis with an RNN', 180), ('Pre-processing and tokenising', 180), ('Embedding and LSTM layers', 180), ('Training and testing', 180)],
    },
    {
        "number": 9,
        "slug": "deploying-pytorch-models",
        "title": "Deploying PyTorch Models",
        "instructors": "Mat Leonard",
        "hours": "10.0",
        "is_final_project": False,
        "summary": "From a research model to production with TorchScript, tracing and the C++ API.",
        "units": [('From research to production', 120), ('TorchScript and tracing', 180), ('Annotations and scripting', 150), ('Deploying with the C++ API', 150)],
    },
    {
        "number": 10,
        "slug": "challenge-project",
        "title": "Challenge Project",
        "instructors": "Course instructors",
        "hours": "40.0",
        "is_final_project": True,
        "summary": "The final project: build and train a flower image classifier, then submit it before the cut-off.",
        "units": [('Project overview: the flower classifier', 120), ('Load and pre-process the data', 360), ('Build and train a classifier', 960), ('Tune and evaluate', 600), ('Submit the model', 360)],
    },
]


def load_lessons(apps, schema_editor):
    Lesson = apps.get_model("lessons", "Lesson")
    Unit = apps.get_model("lessons", "Unit")
    for data in LESSONS:
        lesson, _ = Lesson.objects.update_or_create(
            number=data["number"],
            defaults={
                "slug": data["slug"],
                "title": data["title"],
                "instructors": data["instructors"],
                "estimated_hours": Decimal(data["hours"]),
                "is_final_project": data["is_final_project"],
                "summary": data["summary"],
            },
        )
        for order, (title, minutes) in enumerate(data["units"], start=1):
            Unit.objects.update_or_create(
                lesson=lesson, order=order, defaults={"title": title, "estimated_minutes": minutes}
            )


def unload_lessons(apps, schema_editor):
    apps.get_model("lessons", "Lesson").objects.filter(number__in=[d["number"] for d in LESSONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]

    operations = [migrations.RunPython(load_lessons, unload_lessons)]
